#include "synod/net/codec.hpp"

#include "net_fixture.hpp"
#include "synod/base/errc.hpp"
#include "synod/net/errc.hpp"
#include "synod/schemas/gateway_generated.h"

namespace synod::net::testing {
namespace {

bool mentions(const synod::error& e, std::string_view text) {
  return e.message().find(text) != std::string::npos;
}

bytes finished(const flatbuffers::FlatBufferBuilder& b) {
  return bytes(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

// Frames a buggy or hostile peer might send: constant runs, empty, and a fixed pseudo-random
// stream (a fixed seed, so every run tests the same bytes).
std::vector<bytes> garbage_frames() {
  std::vector<bytes> out = {{}, bytes(1, 0), bytes(3, 0xff), bytes(200, 0xab), bytes(64, 0)};
  std::uint32_t x = 12345;
  for (std::size_t len : {4u, 8u, 16u, 31u, 100u, 1000u}) {
    bytes b(len);
    for (auto& v : b) v = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
    out.push_back(std::move(b));
  }
  return out;
}

TEST(NetCodec, RoundTripsEveryRequest) {
  std::uint64_t id = 1;
  for (const auto& body : sample_request_bodies()) {
    request r{id++ * 0x0102030405ull, body};
    auto back = decode_request(encode(r));
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, r) << "request index " << r.body.index();
  }
}

TEST(NetCodec, RoundTripsEveryResponse) {
  std::uint64_t id = 0;
  for (const auto& body : sample_response_bodies()) {
    response r{id++, body};
    auto back = decode_response(encode(r));
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, r) << "response index " << r.body.index();
  }
}

TEST(NetCodec, RoundTripsBlockEvents) {
  for (const auto& e : {sample_event(5), block_event{0, hash32{}, 0, {}}}) {
    auto back = decode_block_event(encode(e));
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, e);
  }
}

TEST(NetCodec, KeepsAbsentAndZeroBlockHeightApart) {
  auto zero = decode_request(encode(request{1, get_block{0, std::nullopt}}));
  auto none = decode_request(encode(request{1, get_block{}}));
  ASSERT_TRUE(zero && none);
  EXPECT_EQ(std::get<get_block>(zero->body).height, std::optional<std::uint64_t>(0));
  EXPECT_EQ(std::get<get_block>(none->body).height, std::nullopt);
}

TEST(NetCodec, DecodesAFrameAtAnyAlignment) {
  // zmq keeps small messages inside its msg_t, so a frame need not start 8-aligned.
  auto frame = encode(response{7, sample_response_bodies()[5]});
  bytes shifted(frame.size() + 1);
  std::copy(frame.begin(), frame.end(), shifted.begin() + 1);
  auto back = decode_response(byte_view(shifted).subspan(1));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->id, 7u);
}

TEST(NetCodec, RejectsEveryTruncatedRequestAsMalformed) {
  for (const auto& body : sample_request_bodies()) {
    auto frame = encode(request{3, body});
    for (std::size_t n = 0; n < frame.size(); ++n) {
      auto r = decode_request(byte_view(frame).first(n));
      ASSERT_FALSE(r) << "request index " << body.index() << " cut to " << n;
      EXPECT_TRUE(r.error().is(errc::malformed)) << r.error().to_string();
    }
  }
}

TEST(NetCodec, RejectsEveryTruncatedResponseAndEventAsMalformed) {
  std::vector<bytes> frames = {encode(sample_event(3))};
  for (const auto& body : sample_response_bodies()) frames.push_back(encode(response{3, body}));
  for (std::size_t i = 0; i < frames.size(); ++i) {
    for (std::size_t n = 0; n < frames[i].size(); ++n) {
      auto cut = byte_view(frames[i]).first(n);
      auto r = i == 0 ? decode_block_event(cut).has_value() : decode_response(cut).has_value();
      EXPECT_FALSE(r) << "frame " << i << " cut to " << n;
    }
  }
}

TEST(NetCodec, RejectsGarbageAsMalformed) {
  for (const auto& junk : garbage_frames()) {
    auto req = decode_request(junk);
    ASSERT_FALSE(req) << junk.size();
    EXPECT_TRUE(req.error().is(errc::malformed)) << req.error().to_string();
    EXPECT_TRUE(mentions(req.error(), "request frame")) << req.error().to_string();
    EXPECT_FALSE(decode_response(junk)) << junk.size();
    EXPECT_FALSE(decode_block_event(junk)) << junk.size();
  }
}

TEST(NetCodec, RejectsUnknownRequestType) {
  // A newer client or a forgery: the verifier passes unknown union types through.
  flatbuffers::FlatBufferBuilder b;
  auto body = fb::CreateGetHead(b).Union();
  b.Finish(fb::CreateRequest(b, 5, static_cast<fb::RequestBody>(99), body));
  auto r = decode_request(finished(b));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::malformed));
  EXPECT_TRUE(mentions(r.error(), "unknown request type 99")) << r.error().to_string();

  flatbuffers::FlatBufferBuilder none;
  auto empty = fb::CreateGetHead(none).Union();
  none.Finish(fb::CreateRequest(none, 5, fb::RequestBody::NONE, empty));
  EXPECT_TRUE(decode_request(finished(none)).error().is(errc::malformed));
}

TEST(NetCodec, RejectsUnknownResponseTypeAndTxState) {
  flatbuffers::FlatBufferBuilder b;
  auto body = fb::CreateStakeInfo(b, 1).Union();
  b.Finish(fb::CreateResponse(b, 5, static_cast<fb::ResponseBody>(42), body));
  auto r = decode_response(finished(b));
  ASSERT_FALSE(r);
  EXPECT_TRUE(mentions(r.error(), "unknown response type 42")) << r.error().to_string();

  flatbuffers::FlatBufferBuilder s;
  auto info = fb::CreateTxInfo(s, static_cast<fb::TxState>(9)).Union();
  s.Finish(fb::CreateResponse(s, 5, fb::ResponseBody::TxInfo, info));
  auto t = decode_response(finished(s));
  ASSERT_FALSE(t);
  EXPECT_TRUE(t.error().is(errc::malformed));
  EXPECT_TRUE(mentions(t.error(), "unknown tx state 9")) << t.error().to_string();
}

TEST(NetCodec, RejectsAnAxonIpThatIsNot16Bytes) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<std::uint8_t> ip4 = {127, 0, 0, 1};
  auto axon = fb::CreateAxonInfo(b, b.CreateVector(ip4), 80, 4);
  fb::Bytes32 hot;
  auto neuron = fb::CreateNeuronInfo(b, 0, &hot, nullptr, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false,
                                     false, axon);
  std::vector<fb::HyperparamValue> none;
  auto subnet = fb::CreateSubnetInfo(b, 1, 1, &hot, &hot, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                                     b.CreateVectorOfStructs(none));
  std::vector<flatbuffers::Offset<fb::NeuronInfo>> neurons = {neuron};
  auto page = fb::CreateMetagraph(b, subnet, 0, 1, b.CreateVector(neurons));
  b.Finish(fb::CreateResponse(b, 5, fb::ResponseBody::Metagraph, page.Union()));
  auto r = decode_response(finished(b));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::malformed));
  EXPECT_TRUE(mentions(r.error(), "axon ip of 4 bytes")) << r.error().to_string();
}

TEST(NetCodec, RejectsOversizeFrames) {
  bytes big(default_max_request_frame + 1, 0);
  auto r = decode_request(big);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::too_large));
  EXPECT_TRUE(mentions(r.error(), "limit is 1048576")) << r.error().to_string();

  // A valid frame is still refused over a caller's own limit.
  auto frame = encode(request{1, submit_tx{bytes(300, 7)}});
  EXPECT_TRUE(decode_request(frame, 256).error().is(errc::too_large));
  EXPECT_TRUE(decode_request(frame, frame.size()));
  EXPECT_TRUE(decode_response(encode(response{1, stake_info{1}}), 8).error().is(errc::too_large));
  EXPECT_TRUE(decode_block_event(encode(sample_event(1)), 8).error().is(errc::too_large));
}

TEST(NetCodec, ErrorInfoNamesDomainAndCode) {
  auto info = to_error_info(error(errc::timeout, "no response within 5 ms"));
  EXPECT_EQ(info.code, "net.timeout");
  EXPECT_EQ(info.message, "no response within 5 ms");
  EXPECT_EQ(to_error_info(error(synod::errc::bad_hex, "x")).code, "base.bad_hex");
}

TEST(NetCodec, NamesEveryErrorCode) {
  for (auto c : {errc::malformed, errc::too_large, errc::timeout, errc::unavailable,
                 errc::bind_failed, errc::handler_failed})
    EXPECT_NE(error(c, "").code_name(), "unknown");
}

}  // namespace
}  // namespace synod::net::testing
