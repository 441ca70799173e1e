// fuzz_gateway: one untrusted frame, read by each gateway decoder (runtime/net/codec.hpp): a
// node reads requests from anyone, a client reads responses and block events from its node.
// Whatever decodes must survive a round trip: encoding it and decoding that gives the same
// value back, and encoding that value again gives the same bytes.

#include <limits>

#include "harness.hpp"
#include "synod/net/codec.hpp"
#include "synod/net/errc.hpp"

namespace synod::fuzz {
namespace {

hash32 filled(std::uint8_t n) {
  hash32 h;
  h.data.fill(n);
  return h;
}

// Every field set by name, so that a field added later cannot shift the others.
net::head_view sample_head() {
  net::head_view h;
  h.height = 3;
  h.hash = filled(8);
  h.slot = 4;
  h.finalized = 2;
  h.digest = filled(9);
  h.issuance = 100;
  h.pending_emission = 10;
  h.total_stake = 20;
  h.burned = 1;
  return h;
}

// A subnet and a two-neuron metagraph page, fields set by name.
net::subnet_info sample_subnet() {
  net::subnet_info s;
  s.height = 40;
  s.netuid = 1;
  s.owner_coldkey = filled(14);
  s.owner_hotkey = filled(15);
  s.locked = 1'000'000'000'000;
  return s;
}

net::metagraph_page sample_page() {
  net::metagraph_page p;
  p.subnet = sample_subnet();
  p.next_uid = 2;
  net::neuron_view a, b;
  a.hotkey = filled(16);
  a.stake = 5'000'000'000;
  a.weights = std::vector<net::uid_value>{{1, 65535}};
  b.uid = 1;
  b.hotkey = filled(17);
  b.coldkey = filled(18);
  b.bonds = std::vector<net::uid_value>{};
  p.neurons = {a, b};
  return p;
}

// One frame of every request and response type, and two block events.
std::vector<bytes> sample_frames() {
  using namespace synod::net;
  std::vector<bytes> out;
  for (request_body body : std::initializer_list<request_body>{
           submit_tx{bytes(40, 0x5a)}, get_account{filled(1)}, get_stake{filled(2), filled(3)},
           get_head{}, get_block{0, std::nullopt}, get_block{std::nullopt, filled(4)},
           get_tx{filled(5)}, get_subnet{1}, get_subnets{}, get_metagraph{1, 0, 10, true, true},
           swap_plugin{"forecast", "/p/forecast.so", filled(8), "00ff"}, list_plugins{"00ff"}})
    out.push_back(encode(request{7, body}));
  for (response_body body : std::initializer_list<response_body>{
           error_info{"chain.nonce_too_low", "nonce 1 already used, next is 2"},
           submitted{filled(6)}, account_info{5, 2, filled(7)}, stake_info{9}, sample_head(),
           block_info{3, filled(10), bytes(64, 0xb1)},
           tx_info{tx_state::failed, 3, 1, 100'300, "chain.zero_amount"}, sample_subnet(),
           subnet_list{40, {sample_subnet()}}, sample_page(),
           plugin_swapped{"1.0.0", {"forecast", "forecast", "1.1.0", filled(9), "/p/forecast.so", 1}, 800},
           plugin_list{{{"classify", "classify", "1.0.0", filled(14), "/p/classify.so", 0}}}})
    out.push_back(encode(response{7, body}));
  out.push_back(encode(block_event{3, filled(11), 2, {filled(12), filled(13)}}));
  out.push_back(encode(block_event{0, hash32{}, 0, {}}));
  return out;
}

// `decode(frame, max_frame)` is one of the codec's decoders.
template <class Decode>
void check_decoder(byte_view frame, std::size_t max_frame, Decode decode) {
  auto value = decode(frame, max_frame);
  if (!value) {
    SYNOD_FUZZ_CHECK(is_one_of(value.error(), {net::errc::malformed, net::errc::too_large}));
    return;
  }
  bytes encoded = net::encode(*value);
  // No limit on the way back: the round trip is about values, not about frame limits.
  auto back = decode(encoded, std::numeric_limits<std::size_t>::max());
  SYNOD_FUZZ_CHECK(back && *back == *value);
  SYNOD_FUZZ_CHECK(net::encode(*back) == encoded);
}

}  // namespace
}  // namespace synod::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  synod::fuzz::run_seed_mode(*argc, *argv, synod::fuzz::sample_frames);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synod;
  byte_view frame(data, size);
  fuzz::check_decoder(frame, net::default_max_request_frame,
                      [](byte_view f, std::size_t max) { return net::decode_request(f, max); });
  fuzz::check_decoder(frame, net::default_max_reply_frame,
                      [](byte_view f, std::size_t max) { return net::decode_response(f, max); });
  fuzz::check_decoder(frame, net::default_max_reply_frame,
                      [](byte_view f, std::size_t max) { return net::decode_block_event(f, max); });
  return 0;
}
