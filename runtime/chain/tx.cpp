#include "synod/chain/tx.hpp"

#include "fb_convert.hpp"
#include "synod/chain/errc.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/schemas/struct_vector.hpp"
#include "synod/schemas/tx_generated.h"

namespace synod::chain {
namespace {

using detail::from_fb;
using detail::to_fb;

hash32 signing_hash(const hash32& chain_id, const public_key& signer, std::uint64_t nonce,
                    byte_view call_bytes) {
  return crypto::hasher()
      .update(chain_id.view())
      .update(signer.view())
      .update_u64_le(nonce)
      .update(call_bytes)
      .finish();
}

template <class T>
std::vector<T> to_vector(const flatbuffers::Vector<T>& v) {
  return std::vector<T>(v.begin(), v.end());
}

result<call> decode_call(const fb::Call& c) {
  switch (c.body_type()) {
    case fb::CallBody::Transfer: {
      auto* t = c.body_as_Transfer();
      return call{transfer_call{from_fb<32>(*t->dest()), t->amount()}};
    }
    case fb::CallBody::AddStake: {
      auto* t = c.body_as_AddStake();
      return call{add_stake_call{from_fb<32>(*t->hotkey()), t->amount()}};
    }
    case fb::CallBody::RemoveStake: {
      auto* t = c.body_as_RemoveStake();
      return call{remove_stake_call{from_fb<32>(*t->hotkey()), t->amount()}};
    }
    case fb::CallBody::RegisterHotkey: {
      auto* t = c.body_as_RegisterHotkey();
      return call{register_hotkey_call{from_fb<32>(*t->hotkey()), from_fb<64>(*t->proof())}};
    }
    case fb::CallBody::RegisterSubnet:
      return call{register_subnet_call{from_fb<32>(*c.body_as_RegisterSubnet()->hotkey())}};
    case fb::CallBody::SetSubnetHyperparams: {
      auto* t = c.body_as_SetSubnetHyperparams();
      set_subnet_hyperparams_call out{t->netuid(), {}};
      for (flatbuffers::uoffset_t i = 0; i < t->changes()->size(); ++i) {
        const auto h = fb::struct_at(*t->changes(), i);
        if (h.id() == 0 || h.id() > hyperparam_count)
          return error(errc::malformed, "unknown hyperparameter id " + std::to_string(h.id()));
        out.changes.push_back({static_cast<hyperparam>(h.id()), h.value()});
      }
      return call{std::move(out)};
    }
    case fb::CallBody::BurnedRegister: {
      auto* t = c.body_as_BurnedRegister();
      return call{burned_register_call{t->netuid(), from_fb<32>(*t->hotkey())}};
    }
    case fb::CallBody::Serve: {
      auto* t = c.body_as_Serve();
      if (t->ip()->size() != 16)
        return error(errc::malformed, "serve ip must be 16 bytes, got " +
                                          std::to_string(t->ip()->size()));
      serve_call out{t->netuid(), {}, t->ip_type(), t->port(), t->protocol(), t->version()};
      std::copy(t->ip()->begin(), t->ip()->end(), out.ip.begin());
      return call{out};
    }
    case fb::CallBody::SetWeights: {
      auto* t = c.body_as_SetWeights();
      return call{set_weights_call{t->netuid(), to_vector(*t->uids()), to_vector(*t->values()),
                                   t->version_key()}};
    }
    case fb::CallBody::CommitWeights: {
      auto* t = c.body_as_CommitWeights();
      return call{commit_weights_call{t->netuid(), from_fb<32>(*t->hash())}};
    }
    case fb::CallBody::RevealWeights: {
      auto* t = c.body_as_RevealWeights();
      return call{reveal_weights_call{t->netuid(), to_vector(*t->uids()), to_vector(*t->values()),
                                      to_vector(*t->salt()), t->version_key()}};
    }
    case fb::CallBody::SetDelegateTake: {
      auto* t = c.body_as_SetDelegateTake();
      return call{set_delegate_take_call{from_fb<32>(*t->hotkey()), t->take()}};
    }
    case fb::CallBody::SetRootWeights: {
      auto* t = c.body_as_SetRootWeights();
      return call{set_root_weights_call{to_vector(*t->netuids()), to_vector(*t->values())}};
    }
    case fb::CallBody::NONE: break;
  }
  return error(errc::unknown_call,
               "unknown call type " + std::to_string(static_cast<int>(c.body_type())));
}

flatbuffers::Offset<fb::Call> build_call(flatbuffers::FlatBufferBuilder& b, const call& c) {
  struct visitor {
    flatbuffers::FlatBufferBuilder& b;
    flatbuffers::Offset<fb::Call> operator()(const transfer_call& t) {
      auto dest = to_fb(t.dest);
      return fb::CreateCall(b, fb::CallBody::Transfer, fb::CreateTransfer(b, &dest, t.amount).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const add_stake_call& t) {
      auto hk = to_fb(t.hotkey);
      return fb::CreateCall(b, fb::CallBody::AddStake, fb::CreateAddStake(b, &hk, t.amount).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const remove_stake_call& t) {
      auto hk = to_fb(t.hotkey);
      return fb::CreateCall(b, fb::CallBody::RemoveStake,
                            fb::CreateRemoveStake(b, &hk, t.amount).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const register_hotkey_call& t) {
      auto hk = to_fb(t.hotkey);
      auto proof = to_fb(t.proof);
      return fb::CreateCall(b, fb::CallBody::RegisterHotkey,
                            fb::CreateRegisterHotkey(b, &hk, &proof).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const register_subnet_call& t) {
      auto hk = to_fb(t.hotkey);
      return fb::CreateCall(b, fb::CallBody::RegisterSubnet, fb::CreateRegisterSubnet(b, &hk).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const set_subnet_hyperparams_call& t) {
      std::vector<fb::HyperparamChange> changes;
      for (const auto& h : t.changes)
        changes.emplace_back(static_cast<std::uint8_t>(h.id), h.value);
      auto v = b.CreateVectorOfStructs(changes);
      return fb::CreateCall(b, fb::CallBody::SetSubnetHyperparams,
                            fb::CreateSetSubnetHyperparams(b, t.netuid, v).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const burned_register_call& t) {
      auto hk = to_fb(t.hotkey);
      return fb::CreateCall(b, fb::CallBody::BurnedRegister,
                            fb::CreateBurnedRegister(b, t.netuid, &hk).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const serve_call& t) {
      auto ip = b.CreateVector(t.ip.data(), t.ip.size());
      return fb::CreateCall(
          b, fb::CallBody::Serve,
          fb::CreateServe(b, t.netuid, ip, t.ip_type, t.port, t.protocol, t.version).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const set_weights_call& t) {
      auto uids = b.CreateVector(t.uids);
      auto values = b.CreateVector(t.values);
      return fb::CreateCall(b, fb::CallBody::SetWeights,
                            fb::CreateSetWeights(b, t.netuid, uids, values, t.version_key).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const commit_weights_call& t) {
      auto h = to_fb(t.hash);
      return fb::CreateCall(b, fb::CallBody::CommitWeights,
                            fb::CreateCommitWeights(b, t.netuid, &h).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const reveal_weights_call& t) {
      auto uids = b.CreateVector(t.uids);
      auto values = b.CreateVector(t.values);
      auto salt = b.CreateVector(t.salt);
      return fb::CreateCall(
          b, fb::CallBody::RevealWeights,
          fb::CreateRevealWeights(b, t.netuid, uids, values, salt, t.version_key).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const set_delegate_take_call& t) {
      auto hk = to_fb(t.hotkey);
      return fb::CreateCall(b, fb::CallBody::SetDelegateTake,
                            fb::CreateSetDelegateTake(b, &hk, t.take).Union());
    }
    flatbuffers::Offset<fb::Call> operator()(const set_root_weights_call& t) {
      auto netuids = b.CreateVector(t.netuids);
      auto values = b.CreateVector(t.values);
      return fb::CreateCall(b, fb::CallBody::SetRootWeights,
                            fb::CreateSetRootWeights(b, netuids, values).Union());
    }
  };
  return std::visit(visitor{b}, c);
}

}  // namespace

result<decoded_tx> decode_tx(byte_view envelope, const hash32& chain_id,
                             const chain_params& params) {
  if (envelope.size() > params.max_tx_bytes)
    return error(errc::oversize, "transaction is " + std::to_string(envelope.size()) +
                                     " bytes, the limit is " + std::to_string(params.max_tx_bytes));
  flatbuffers::Verifier outer(envelope.data(), envelope.size());
  if (!fb::VerifyTransactionBuffer(outer))
    return error(errc::malformed, "transaction envelope fails verification (" +
                                      std::to_string(envelope.size()) + " bytes)");
  const auto* env = fb::GetTransaction(envelope.data());
  const auto* call_bytes = env->call();
  flatbuffers::Verifier inner(call_bytes->data(), call_bytes->size());
  if (!inner.VerifyBuffer<fb::Call>(nullptr))
    return error(errc::malformed, "call bytes fail verification");

  decoded_tx tx;
  tx.signer = from_fb<32>(*env->signer());
  auto tx_chain = from_fb<32>(*env->chain_id());
  if (tx_chain != chain_id)
    return error(errc::wrong_chain, "transaction is for chain " + tx_chain.hex().substr(0, 16) +
                                        "..., this is chain " + chain_id.hex().substr(0, 16) + "...");
  auto body = decode_call(*flatbuffers::GetRoot<fb::Call>(call_bytes->data()));
  if (!body) return std::move(body).error();
  tx.call = std::move(*body);
  tx.nonce = env->nonce();
  tx.sig = from_fb<64>(*env->signature());
  tx.size = static_cast<std::uint32_t>(envelope.size());
  tx.id = crypto::blake2b_256(envelope);
  tx.signing_hash = signing_hash(chain_id, tx.signer, tx.nonce,
                                 byte_view(call_bytes->data(), call_bytes->size()));
  return tx;
}

std::optional<public_key> envelope_signer(byte_view envelope) noexcept {
  flatbuffers::Verifier v(envelope.data(), envelope.size());
  if (!fb::VerifyTransactionBuffer(v)) return std::nullopt;
  return from_fb<32>(*fb::GetTransaction(envelope.data())->signer());
}

status check_signatures(const decoded_tx& tx, const hash32& chain_id) {
  if (!crypto::verify(tx.signer, tx.signing_hash.view(), tx.sig))
    return error(errc::bad_signature, "signature does not verify for signer " + tx.signer.hex());
  if (const auto* reg = std::get_if<register_hotkey_call>(&tx.call)) {
    auto msg = register_proof_message(chain_id, tx.signer);
    if (!crypto::verify(reg->hotkey, msg.view(), reg->proof))
      return error(errc::bad_proof, "hotkey " + reg->hotkey.hex() +
                                        " did not sign the registration proof for this coldkey");
  }
  return ok();
}

hash32 register_proof_message(const hash32& chain_id, const public_key& coldkey) {
  return crypto::hasher()
      .update(as_bytes("synod/register_hotkey"))
      .update(chain_id.view())
      .update(coldkey.view())
      .finish();
}

bytes encode_tx(const hash32& chain_id, const crypto::keypair& signer, std::uint64_t nonce,
                const call& c) {
  flatbuffers::FlatBufferBuilder call_builder(128);
  call_builder.Finish(build_call(call_builder, c));
  byte_view call_bytes(call_builder.GetBufferPointer(), call_builder.GetSize());

  auto sig = signer.sign(signing_hash(chain_id, signer.public_key(), nonce, call_bytes).view());
  flatbuffers::FlatBufferBuilder b(256 + call_bytes.size());
  auto call_vec = b.CreateVector(call_bytes.data(), call_bytes.size());
  auto chain = to_fb(chain_id);
  auto who = to_fb(signer.public_key());
  auto fsig = to_fb(sig);
  b.Finish(fb::CreateTransaction(b, &chain, &who, nonce, call_vec, &fsig), fb::TransactionIdentifier());
  return bytes(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

std::string_view call_name(const call& c) noexcept {
  static constexpr std::string_view names[] = {
      "transfer",        "add_stake",         "remove_stake",   "register_hotkey",
      "register_subnet", "set_subnet_hyperparams", "burned_register", "serve",
      "set_weights",     "commit_weights",    "reveal_weights", "set_delegate_take",
      "set_root_weights"};
  static_assert(std::size(names) == std::variant_size_v<call>);
  return names[c.index()];
}

std::string_view hyperparam_name(hyperparam h) noexcept {
  static constexpr std::string_view names[] = {
      "tempo", "kappa", "bonds_moving_average", "bonds_penalty", "yuma3", "liquid_alpha",
      "alpha_low", "alpha_high", "alpha_sigmoid_steepness", "activity_cutoff_factor_milli",
      "max_allowed_uids", "max_allowed_validators", "min_allowed_weights", "max_weights_limit",
      "weights_rate_limit", "weights_version_key", "immunity_period", "min_non_immune_uids",
      "immune_owner_uids_limit", "stake_threshold", "min_burn", "max_burn", "burn_half_life",
      "burn_increase_mult_q32", "commit_reveal", "reveal_period_epochs", "serving_rate_limit",
      "registration_allowed"};
  static_assert(std::size(names) == hyperparam_count);
  auto i = static_cast<std::size_t>(h);
  return i >= 1 && i <= hyperparam_count ? names[i - 1] : "unknown";
}

}  // namespace synod::chain
