#include "chain_world.hpp"

#include "harness.hpp"
#include "synod/chain/errc.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::fuzz {
namespace {

using chain::errc;

crypto::keypair key(std::uint8_t n) {
  std::array<std::uint8_t, 32> raw{};
  raw.fill(n);
  return crypto::keypair::from_seed(crypto::seed(raw));
}

chain::genesis make_genesis(const crypto::keypair& authority, const crypto::keypair& alice,
                            const crypto::keypair& bob) {
  chain::genesis g;
  g.chain_name = "synod-fuzz";
  g.authorities = {authority.public_key()};
  g.balances = {{alice.public_key(), 1000 * rao_per_tao}, {bob.public_key(), 10 * rao_per_tao}};
  SYNOD_FUZZ_CHECK(chain::check_genesis(g));
  return g;
}

}  // namespace

const chain_world& chain_world::get() {
  static const chain_world world;
  return world;
}

chain_world::chain_world()
    : authority(key(1)), alice(key(2)), bob(key(3)), hot(key(4)), spare(key(5)) {
  auto g = make_genesis(authority, alice, bob);
  ctx = chain::chain_context::from(g);
  other_chain_id = ctx.chain_id;
  other_chain_id.data[0] ^= 1;
  chain::overlay o(state);
  chain::write_genesis_state(o, g);
  state.apply(o.diff());
  apply_setup(sign(alice, 0, registration(alice, hot)));
  apply_setup(sign(alice, 1, chain::add_stake_call{hot.public_key(), 100 * rao_per_tao}));
}

bytes chain_world::sign(const crypto::keypair& who, std::uint64_t nonce,
                        const chain::call& c) const {
  return chain::encode_tx(ctx.chain_id, who, nonce, c);
}

chain::register_hotkey_call chain_world::registration(const crypto::keypair& cold,
                                                      const crypto::keypair& hotkey) const {
  auto msg = chain::register_proof_message(ctx.chain_id, cold.public_key());
  return {hotkey.public_key(), hotkey.sign(msg.view())};
}

void chain_world::apply_setup(const bytes& envelope) {
  auto tx = chain::decode_tx(envelope, ctx.chain_id, ctx.params);
  SYNOD_FUZZ_CHECK(tx && chain::check_signatures(*tx, ctx.chain_id));
  chain::overlay o(state);
  auto r = chain::apply_tx(o, *tx, ctx.params, /*height=*/1);
  SYNOD_FUZZ_CHECK(r && !r->failure);
  state.apply(o.diff());
}

std::vector<bytes> chain_world::sample_txs() const {
  const auto& h = hot.public_key();
  return {
      sign(alice, 2, chain::transfer_call{bob.public_key(), rao_per_tao}),
      sign(alice, 2, chain::add_stake_call{h, rao_per_tao}),
      sign(alice, 2, chain::remove_stake_call{h, rao_per_tao}),
      sign(alice, 2, registration(alice, spare)),
      sign(bob, 0, chain::transfer_call{alice.public_key(), 0}),        // fails: zero amount
      sign(bob, 0, chain::remove_stake_call{h, rao_per_tao}),            // fails: no stake
      sign(bob, 0, registration(bob, hot)),                              // fails: owned
      sign(alice, 0, chain::transfer_call{bob.public_key(), rao_per_tao}),  // replay
  };
}

std::vector<bytes> chain_world::sample_blocks() const {
  std::vector<bytes> envelopes = {
      sign(alice, 2, chain::transfer_call{bob.public_key(), rao_per_tao}),
      sign(alice, 3, chain::remove_stake_call{hot.public_key(), rao_per_tao}),
      sign(bob, 0, registration(bob, spare)),
  };
  std::vector<chain::decoded_tx> txs;
  for (const auto& e : envelopes) {
    auto tx = decode_and_check(*this, e);
    SYNOD_FUZZ_CHECK(tx.has_value());
    txs.push_back(std::move(*tx));
  }
  chain::parent_info genesis_parent{0, ctx.chain_id, 0};
  auto empty = chain::build_block(state, ctx, genesis_parent, 1, authority, {}, {});
  auto full = chain::build_block(state, ctx, genesis_parent, 1, authority, envelopes, txs);
  SYNOD_FUZZ_CHECK(full.dropped.empty());
  return {empty.raw, full.raw};
}

std::optional<chain::decoded_tx> decode_and_check(const chain_world& w, byte_view envelope) {
  const auto& params = w.ctx.params;
  auto tx = chain::decode_tx(envelope, w.ctx.chain_id, params);
  bool over_limit = envelope.size() > params.max_tx_bytes;
  if (!tx) {
    const auto& e = tx.error();
    SYNOD_FUZZ_CHECK(is_one_of(e, {errc::malformed, errc::oversize, errc::wrong_chain,
                                   errc::unknown_call}));
    SYNOD_FUZZ_CHECK(e.is(errc::oversize) == over_limit);
    return std::nullopt;
  }
  SYNOD_FUZZ_CHECK(!over_limit && tx->size == envelope.size());
  SYNOD_FUZZ_CHECK(tx->id == crypto::blake2b_256(envelope));
  auto elsewhere = chain::decode_tx(envelope, w.other_chain_id, params);
  SYNOD_FUZZ_CHECK(!elsewhere && elsewhere.error().is(errc::wrong_chain));
  auto sig = chain::check_signatures(*tx, w.ctx.chain_id);
  SYNOD_FUZZ_CHECK(sig || is_one_of(sig.error(), {errc::bad_signature, errc::bad_proof}));
  return std::move(*tx);
}

}  // namespace synod::fuzz
