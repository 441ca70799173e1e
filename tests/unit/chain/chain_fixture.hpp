#pragma once
// Shared set-up for chain tests: a genesis with funded keys, an in-memory state, helpers to
// sign and apply transactions and blocks, and the supply invariant.

#include <gtest/gtest.h>

#include "synod/chain/block.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/records.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/schemas/state_generated.h"

namespace synod::chain::testing {

inline crypto::keypair key(std::uint8_t n) {
  std::array<std::uint8_t, 32> raw{};
  raw.fill(n);
  return crypto::keypair::from_seed(crypto::seed(raw));
}

/// holdings (balances + stakes + subnet locks) + pending emission + burned == total issuance;
/// the sum of stakes equals the recorded total, and so does each hotkey's stake total.
inline void expect_supply_invariant(const memory_state& s) {
  rao balances = 0, stakes = 0, hotkey_totals = 0;
  for (const auto& [k, v] : s.entries()) {
    if (k[0] == static_cast<std::uint8_t>(key_tag::hotkey_stake))
      hotkey_totals += reinterpret_cast<const fb::StakeRecord*>(v.data())->amount();
    if (k[0] == static_cast<std::uint8_t>(key_tag::account))
      balances += reinterpret_cast<const fb::AccountRecord*>(v.data())->balance();
    if (k[0] == static_cast<std::uint8_t>(key_tag::stake))
      stakes += reinterpret_cast<const fb::StakeRecord*>(v.data())->amount();
  }
  auto t = get_totals(s);
  EXPECT_EQ(stakes, t.total_stake);
  EXPECT_EQ(hotkey_totals, t.total_stake);
  EXPECT_EQ(balances + stakes + t.locked + t.pending_emission + t.burned, t.issuance);
  EXPECT_LE(t.issuance, max_supply);
}

class ChainFixture : public ::testing::Test {
 public:
  ChainFixture() {
    g.chain_name = "synod-test";
    g.authorities = {authority.public_key()};
    g.balances = {{alice.public_key(), 1000 * rao_per_tao}, {bob.public_key(), 10 * rao_per_tao}};
    ctx = chain_context::from(g);
    overlay o(state);
    write_genesis_state(o, g);
    state.apply(o.diff());
    parent = {0, ctx.chain_id, 0};
  }

  bytes sign(const crypto::keypair& who, std::uint64_t nonce, const call& c) const {
    return encode_tx(ctx.chain_id, who, nonce, c);
  }

  decoded_tx decode(const bytes& envelope) const {
    auto tx = decode_tx(envelope, ctx.chain_id, ctx.params);
    EXPECT_TRUE(tx) << tx.error().to_string();
    EXPECT_TRUE(check_signatures(*tx, ctx.chain_id));
    return *tx;
  }

  /// Applies one transaction directly to `state`; returns its receipt or rejection.
  result<receipt> apply(const bytes& envelope) {
    overlay o(state);
    auto r = apply_tx(o, decode(envelope), ctx.params, next_height);
    if (r) state.apply(o.diff());
    return r;
  }

  register_hotkey_call registration(const crypto::keypair& cold, const crypto::keypair& hk) const {
    return {hk.public_key(), hk.sign(register_proof_message(ctx.chain_id, cold.public_key()).view())};
  }

  /// Builds a block from `envelopes`, checks it replays to the same digest, commits it.
  built_block produce(const std::vector<bytes>& envelopes) {
    std::vector<decoded_tx> txs;
    for (const auto& e : envelopes) txs.push_back(decode(e));
    auto built = build_block(state, ctx, parent, parent.slot + 1, authority, envelopes, txs);
    state.apply(built.outcome.diff);
    EXPECT_EQ(state.digest(), built.header.state_digest);
    parent = {built.header.height, built.hash, built.header.slot};
    return built;
  }

  crypto::keypair authority = key(1), alice = key(2), bob = key(3), hot = key(4);
  genesis g;
  chain_context ctx;
  memory_state state;
  parent_info parent;
  std::uint64_t next_height = 1;  ///< the block apply() pretends its transaction goes into
};

}  // namespace synod::chain::testing
