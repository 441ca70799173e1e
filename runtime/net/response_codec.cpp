#include "synod/net/codec.hpp"
#include "synod/schemas/gateway_generated.h"
#include "subnet_wire.hpp"
#include "wire.hpp"

namespace synod::net {
namespace {

using detail::from_fb;
using detail::to_fb;
using body_offset = std::pair<fb::ResponseBody, flatbuffers::Offset<void>>;

struct body_writer {
  flatbuffers::FlatBufferBuilder& b;

  body_offset operator()(const error_info& r) const {
    auto code = b.CreateString(r.code);
    auto message = b.CreateString(r.message);
    return {fb::ResponseBody::ErrorInfo, fb::CreateErrorInfo(b, code, message).Union()};
  }
  body_offset operator()(const submitted& r) const {
    auto id = to_fb(r.tx_id);
    return {fb::ResponseBody::Submitted, fb::CreateSubmitted(b, &id).Union()};
  }
  body_offset operator()(const account_info& r) const {
    auto owner = r.owner ? to_fb(*r.owner) : fb::Bytes32();
    auto t = fb::CreateAccountInfo(b, r.balance, r.nonce, r.owner ? &owner : nullptr);
    return {fb::ResponseBody::AccountInfo, t.Union()};
  }
  body_offset operator()(const stake_info& r) const {
    return {fb::ResponseBody::StakeInfo, fb::CreateStakeInfo(b, r.amount).Union()};
  }
  body_offset operator()(const head_view& r) const {
    auto hash = to_fb(r.hash);
    auto digest = to_fb(r.digest);
    auto chain = to_fb(r.chain_id);
    auto t = fb::CreateHeadInfo(b, r.height, &hash, r.slot, r.finalized, &digest, r.issuance,
                                r.pending_emission, r.total_stake, r.burned, &chain);
    return {fb::ResponseBody::HeadInfo, t.Union()};
  }
  body_offset operator()(const block_info& r) const {
    auto block = b.CreateVector(r.block);
    auto hash = to_fb(r.hash);
    return {fb::ResponseBody::BlockInfo, fb::CreateBlockInfo(b, r.height, &hash, block).Union()};
  }
  body_offset operator()(const tx_info& r) const {
    auto failure = r.failure.empty() ? flatbuffers::Offset<flatbuffers::String>()
                                     : b.CreateString(r.failure);
    auto t = fb::CreateTxInfo(b, static_cast<fb::TxState>(r.state), r.height, r.index, r.fee,
                              failure);
    return {fb::ResponseBody::TxInfo, t.Union()};
  }
  body_offset operator()(const subnet_info& r) const {
    return {fb::ResponseBody::SubnetInfo, detail::write_subnet(b, r).Union()};
  }
  body_offset operator()(const subnet_list& r) const {
    return {fb::ResponseBody::SubnetList, detail::write_subnets(b, r).Union()};
  }
  body_offset operator()(const metagraph_page& r) const {
    return {fb::ResponseBody::Metagraph, detail::write_metagraph(b, r).Union()};
  }
  flatbuffers::Offset<fb::PluginInfo> plugin(const plugin_view& p) const {
    // CreateString with the std::string: a name may hold a NUL, which c_str() would cut.
    auto name = b.CreateString(p.name), plugin = b.CreateString(p.plugin), version = b.CreateString(p.version),
         file = b.CreateString(p.file);
    auto hash = to_fb(p.hash);
    return fb::CreatePluginInfo(b, name, plugin, version, &hash, file, p.swaps);
  }
  body_offset operator()(const plugin_swapped& r) const {
    auto now = plugin(r.now);
    auto old = b.CreateString(r.old_version);
    return {fb::ResponseBody::PluginSwapped, fb::CreatePluginSwapped(b, old, now, r.load_us).Union()};
  }
  body_offset operator()(const plugin_list& r) const {
    std::vector<flatbuffers::Offset<fb::PluginInfo>> list;
    for (const auto& p : r.plugins) list.push_back(plugin(p));
    return {fb::ResponseBody::PluginList, fb::CreatePluginList(b, b.CreateVector(list)).Union()};
  }
};

plugin_view read_plugin(const fb::PluginInfo& t) {
  return {t.name()->str(), t.plugin()->str(), t.version()->str(), from_fb(*t.hash()), t.file()->str(), t.swaps()};
}

account_info read_account(const fb::AccountInfo& t) {
  account_info out{t.balance(), t.nonce(), std::nullopt};
  if (const auto* owner = t.owner()) out.owner = from_fb(*owner);
  return out;
}

head_view read_head(const fb::HeadInfo& t) {
  return {t.height(),   from_fb(*t.hash()), t.slot(),
          t.finalized(), from_fb(*t.digest()), t.issuance(),
          t.pending_emission(), t.total_stake(), t.burned(), from_fb(*t.chain_id())};
}

result<response_body> read_tx_info(const fb::TxInfo& t) {
  auto state = static_cast<std::uint8_t>(t.state());
  if (state > static_cast<std::uint8_t>(tx_state::failed))
    return detail::malformed("response", "has unknown tx state " + std::to_string(state));
  std::string failure = t.failure() ? t.failure()->str() : std::string();
  return response_body{
      tx_info{static_cast<tx_state>(state), t.height(), t.index(), t.fee(), std::move(failure)}};
}

result<response_body> read_body(const fb::Response& r) {
  switch (r.body_type()) {
    case fb::ResponseBody::ErrorInfo: {
      const auto* t = r.body_as_ErrorInfo();
      return response_body{error_info{t->code()->str(), t->message()->str()}};
    }
    case fb::ResponseBody::Submitted:
      return response_body{submitted{from_fb(*r.body_as_Submitted()->tx_id())}};
    case fb::ResponseBody::AccountInfo:
      return response_body{read_account(*r.body_as_AccountInfo())};
    case fb::ResponseBody::StakeInfo:
      return response_body{stake_info{r.body_as_StakeInfo()->amount()}};
    case fb::ResponseBody::HeadInfo: return response_body{read_head(*r.body_as_HeadInfo())};
    case fb::ResponseBody::BlockInfo: {
      const auto* t = r.body_as_BlockInfo();
      bytes block(t->block()->begin(), t->block()->end());
      return response_body{block_info{t->height(), from_fb(*t->hash()), std::move(block)}};
    }
    case fb::ResponseBody::TxInfo: return read_tx_info(*r.body_as_TxInfo());
    case fb::ResponseBody::SubnetInfo:
      return response_body{detail::read_subnet(*r.body_as_SubnetInfo())};
    case fb::ResponseBody::SubnetList:
      return response_body{detail::read_subnets(*r.body_as_SubnetList())};
    case fb::ResponseBody::Metagraph: {
      auto m = detail::read_metagraph(*r.body_as_Metagraph());
      if (!m) return std::move(m).error();
      return response_body{std::move(*m)};
    }
    case fb::ResponseBody::PluginSwapped: {
      const auto* t = r.body_as_PluginSwapped();
      return response_body{plugin_swapped{t->old_version()->str(), read_plugin(*t->now()), t->load_us()}};
    }
    case fb::ResponseBody::PluginList: {
      plugin_list out;
      for (const auto* p : *r.body_as_PluginList()->plugins()) out.plugins.push_back(read_plugin(*p));
      return response_body{std::move(out)};
    }
    case fb::ResponseBody::NONE: break;
  }
  return detail::malformed(
      "response", "has unknown response type " + std::to_string(static_cast<int>(r.body_type())));
}

}  // namespace

bytes encode(const response& r) {
  flatbuffers::FlatBufferBuilder b(256);
  auto [type, body] = std::visit(body_writer{b}, r.body);
  b.Finish(fb::CreateResponse(b, r.id, type, body));
  return detail::finished(b);
}

result<response> decode_response(byte_view frame, std::size_t max_frame) {
  return detail::read_verified<fb::Response>(
      frame, max_frame, "response", [](const fb::Response& r) -> result<response> {
        auto body = read_body(r);
        if (!body) return std::move(body).error();
        return response{r.id(), std::move(*body)};
      });
}

error_info to_error_info(const synod::error& e) {
  std::string code(e.domain().name);
  code.append(".").append(e.code_name());
  return {std::move(code), e.message()};
}

}  // namespace synod::net
