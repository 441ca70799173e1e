#include "synod/net/codec.hpp"
#include "synod/schemas/gateway_generated.h"
#include "wire.hpp"

namespace synod::net {
namespace {

using detail::from_fb;
using detail::to_fb;
using body_offset = std::pair<fb::RequestBody, flatbuffers::Offset<void>>;

struct body_writer {
  flatbuffers::FlatBufferBuilder& b;

  body_offset operator()(const submit_tx& r) const {
    auto envelope = b.CreateVector(r.envelope);
    return {fb::RequestBody::SubmitTx, fb::CreateSubmitTx(b, envelope).Union()};
  }
  body_offset operator()(const get_account& r) const {
    auto key = to_fb(r.key);
    return {fb::RequestBody::GetAccount, fb::CreateGetAccount(b, &key).Union()};
  }
  body_offset operator()(const get_stake& r) const {
    auto hot = to_fb(r.hotkey);
    auto cold = to_fb(r.coldkey);
    return {fb::RequestBody::GetStake, fb::CreateGetStake(b, &hot, &cold).Union()};
  }
  body_offset operator()(const get_head&) const {
    return {fb::RequestBody::GetHead, fb::CreateGetHead(b).Union()};
  }
  body_offset operator()(const get_block& r) const {
    fb::GetBlockBuilder t(b);
    if (r.height) {
      // Height 0 is the default the builder would leave out; sent means present.
      b.ForceDefaults(true);
      t.add_height(*r.height);
      b.ForceDefaults(false);
    }
    if (r.hash) {
      auto hash = to_fb(*r.hash);
      t.add_hash(&hash);
    }
    return {fb::RequestBody::GetBlock, t.Finish().Union()};
  }
  body_offset operator()(const get_tx& r) const {
    auto id = to_fb(r.id);
    return {fb::RequestBody::GetTx, fb::CreateGetTx(b, &id).Union()};
  }
  body_offset operator()(const get_subnet& r) const {
    return {fb::RequestBody::GetSubnet, fb::CreateGetSubnet(b, r.netuid).Union()};
  }
  body_offset operator()(const get_subnets&) const {
    return {fb::RequestBody::GetSubnets, fb::CreateGetSubnets(b).Union()};
  }
  body_offset operator()(const get_metagraph& r) const {
    auto t = fb::CreateGetMetagraph(b, r.netuid, r.first_uid, r.max_neurons, r.weights, r.bonds);
    return {fb::RequestBody::GetMetagraph, t.Union()};
  }
  body_offset operator()(const swap_plugin& r) const {
    auto name = b.CreateString(r.name);
    auto path = b.CreateString(r.path);
    auto cookie = b.CreateString(r.cookie);
    fb::SwapPluginBuilder t(b);
    t.add_name(name);
    t.add_path(path);
    t.add_cookie(cookie);
    if (r.hash) {
      auto hash = to_fb(*r.hash);
      t.add_hash(&hash);
    }
    return {fb::RequestBody::SwapPlugin, t.Finish().Union()};
  }
  body_offset operator()(const list_plugins& r) const {
    return {fb::RequestBody::ListPlugins, fb::CreateListPlugins(b, b.CreateString(r.cookie)).Union()};
  }
};

get_block read_get_block(const fb::GetBlock& t) {
  get_block out;
  // The accessor answers 0 for an absent height; only the vtable tells absent from 0.
  // Generated tables are flatbuffers::Table by (private) inheritance at offset 0.
  const auto& table = reinterpret_cast<const flatbuffers::Table&>(t);
  if (table.CheckField(fb::GetBlock::VT_HEIGHT)) out.height = t.height();
  if (const auto* hash = t.hash()) out.hash = from_fb(*hash);
  return out;
}

result<request_body> read_body(const fb::Request& r) {
  switch (r.body_type()) {
    case fb::RequestBody::SubmitTx: {
      const auto* env = r.body_as_SubmitTx()->envelope();
      return request_body{submit_tx{bytes(env->begin(), env->end())}};
    }
    case fb::RequestBody::GetAccount:
      return request_body{get_account{from_fb(*r.body_as_GetAccount()->key())}};
    case fb::RequestBody::GetStake: {
      const auto* t = r.body_as_GetStake();
      return request_body{get_stake{from_fb(*t->hotkey()), from_fb(*t->coldkey())}};
    }
    case fb::RequestBody::GetHead: return request_body{get_head{}};
    case fb::RequestBody::GetBlock: return request_body{read_get_block(*r.body_as_GetBlock())};
    case fb::RequestBody::GetTx: return request_body{get_tx{from_fb(*r.body_as_GetTx()->id())}};
    case fb::RequestBody::GetSubnet:
      return request_body{get_subnet{r.body_as_GetSubnet()->netuid()}};
    case fb::RequestBody::GetSubnets: return request_body{get_subnets{}};
    case fb::RequestBody::GetMetagraph: {
      const auto* t = r.body_as_GetMetagraph();
      return request_body{
          get_metagraph{t->netuid(), t->first_uid(), t->max_neurons(), t->weights(), t->bonds()}};
    }
    case fb::RequestBody::SwapPlugin: {
      const auto* t = r.body_as_SwapPlugin();
      swap_plugin out{t->name()->str(), t->path()->str(), {}, t->cookie() ? t->cookie()->str() : ""};
      if (const auto* hash = t->hash()) out.hash = from_fb(*hash);
      return request_body{std::move(out)};
    }
    case fb::RequestBody::ListPlugins: {
      const auto* cookie = r.body_as_ListPlugins()->cookie();
      return request_body{list_plugins{cookie ? cookie->str() : ""}};
    }
    case fb::RequestBody::NONE: break;
  }
  // The verifier lets unknown union types through (forward compatibility); we do not.
  return detail::malformed(
      "request", "has unknown request type " + std::to_string(static_cast<int>(r.body_type())));
}

}  // namespace

bytes encode(const request& r) {
  flatbuffers::FlatBufferBuilder b(128);
  auto [type, body] = std::visit(body_writer{b}, r.body);
  b.Finish(fb::CreateRequest(b, r.id, type, body));
  return detail::finished(b);
}

// GCC 12 at -O2 reports the move of a request whose variant holds std::string members
// (swap_plugin) as a possibly uninitialized read and a free of a non-heap object; both are
// false positives of its variant analysis (GCC bugs 105562, 104475), silenced here only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#endif
result<request> decode_request(byte_view frame, std::size_t max_frame) {
  return detail::read_verified<fb::Request>(
      frame, max_frame, "request", [](const fb::Request& r) -> result<request> {
        auto body = read_body(r);
        if (!body) return std::move(body).error();
        return request{r.id(), std::move(*body)};
      });
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace synod::net
