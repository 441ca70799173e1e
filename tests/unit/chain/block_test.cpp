#include "synod/chain/block.hpp"

#include <random>

#include "chain_fixture.hpp"

namespace synod::chain::testing {
namespace {

using Blocks = ChainFixture;
constexpr rao tao = rao_per_tao;

// Decodes and re-applies a block to a copy of `before`, as a follower node would.
result<block_outcome> replay(const Blocks& f, const memory_state& before, const parent_info& parent,
                             const bytes& raw) {
  auto blk = decode_block(raw, f.ctx.params);
  if (!blk) return std::move(blk).error();
  std::vector<decoded_tx> txs;
  for (auto t : blk->txs) {
    auto tx = decode_tx(t, f.ctx.chain_id, f.ctx.params);
    if (!tx) return std::move(tx).error();
    SYNOD_TRY(check_signatures(*tx, f.ctx.chain_id));
    txs.push_back(*tx);
  }
  return apply_block(before, f.ctx, parent, *blk, txs);
}

TEST_F(Blocks, AFollowerReplaysABlockToTheSameDigest) {
  memory_state before = state;
  auto start = parent;
  auto built = produce({sign(alice, 0, transfer_call{bob.public_key(), tao}),
                        sign(alice, 1, registration(alice, hot)),
                        sign(alice, 2, add_stake_call{hot.public_key(), 5 * tao})});
  EXPECT_EQ(built.header.tx_count, 3u);
  EXPECT_TRUE(built.dropped.empty());
  EXPECT_EQ(built.outcome.minted, tao);
  auto again = replay(*this, before, start, built.raw);
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->digest, built.header.state_digest);
  EXPECT_EQ(again->diff, built.outcome.diff);
  ASSERT_EQ(again->receipts.size(), 3u);
  expect_supply_invariant(state);
}

TEST_F(Blocks, BuilderDropsInvalidTransactionsAndKeepsGoing) {
  auto built = produce({sign(alice, 0, transfer_call{bob.public_key(), tao}),
                        sign(alice, 0, transfer_call{bob.public_key(), tao}),  // replay
                        sign(key(9), 0, transfer_call{bob.public_key(), 1}),   // no fee
                        sign(alice, 1, transfer_call{bob.public_key(), tao})});
  EXPECT_EQ(built.header.tx_count, 2u);
  ASSERT_EQ(built.dropped.size(), 2u);
  EXPECT_TRUE(built.dropped[0].second.is(errc::nonce_too_low));
  EXPECT_TRUE(built.dropped[1].second.is(errc::cannot_pay_fee));
  EXPECT_EQ(get_account(state, alice.public_key()).nonce, 2u);
}

TEST_F(Blocks, SupplyInvariantHoldsAfterEveryBlock) {
  std::mt19937 rng(7);
  std::vector<crypto::keypair> people = {alice, bob, key(20), key(21)};
  std::map<crypto::public_key, std::uint64_t> nonces;
  ASSERT_FALSE(apply(sign(alice, nonces[alice.public_key()]++, registration(alice, hot)))->failure);
  for (int b = 0; b < 30; ++b) {
    std::vector<bytes> txs;
    for (int i = 0; i < 8; ++i) {
      const auto& who = people[rng() % people.size()];
      rao amount = rng() % (3 * tao);
      call c = transfer_call{people[rng() % people.size()].public_key(), amount};
      if (rng() % 3 == 0) c = add_stake_call{hot.public_key(), amount};
      if (rng() % 5 == 0) c = remove_stake_call{hot.public_key(), amount};
      txs.push_back(sign(who, nonces[who.public_key()], c));
      ++nonces[who.public_key()];
    }
    auto built = produce(txs);
    // Keep our nonce book in line with what the chain accepted.
    for (const auto& p : people) nonces[p.public_key()] = get_account(state, p.public_key()).nonce;
    expect_supply_invariant(state);
  }
  EXPECT_EQ(get_totals(state).pending_emission, 30 * tao);
}

TEST_F(Blocks, RejectsTamperedHeaders) {
  memory_state before = state;
  auto start = parent;
  auto built = produce({sign(alice, 0, transfer_call{bob.public_key(), tao})});
  auto txs = std::vector<bytes>{sign(alice, 0, transfer_call{bob.public_key(), tao})};

  auto reencode = [&](block_header h, const crypto::keypair& signer) {
    return encode_block(h, txs, signer);
  };
  auto expect_bad = [&](const bytes& raw, errc code, std::string_view what) {
    auto r = replay(*this, before, start, raw);
    ASSERT_FALSE(r) << what;
    EXPECT_TRUE(r.error().is(code)) << what << ": " << r.error().to_string();
  };
  auto h = built.header;
  h.state_digest.data[0] ^= 1;
  expect_bad(reencode(h, authority), errc::digest_mismatch, "digest");
  h = built.header;
  h.height = 5;
  expect_bad(reencode(h, authority), errc::bad_block, "height");
  h = built.header;
  h.parent.data[0] ^= 1;
  expect_bad(reencode(h, authority), errc::bad_block, "parent");
  h = built.header;
  h.author = alice.public_key();
  expect_bad(reencode(h, alice), errc::bad_block, "author");
  expect_bad(reencode(built.header, alice), errc::bad_block, "signature");
  h = built.header;
  h.tx_root.data[0] ^= 1;
  expect_bad(reencode(h, authority), errc::bad_block, "tx_root");
  h = built.header;
  h.slot = 0;
  expect_bad(reencode(h, authority), errc::bad_block, "slot");
  // And the untouched block is accepted.
  EXPECT_TRUE(replay(*this, before, start, built.raw));
}

TEST_F(Blocks, RejectsEveryTruncationAsMalformed) {
  auto built = produce({sign(alice, 0, transfer_call{bob.public_key(), tao})});
  for (std::size_t n = 0; n < built.raw.size(); ++n) {
    auto r = decode_block(byte_view(built.raw).first(n), ctx.params);
    ASSERT_FALSE(r) << n;
    EXPECT_TRUE(r.error().is(errc::malformed)) << n;
  }
}

TEST_F(Blocks, RejectsABlockWithAnInvalidTransaction) {
  memory_state before = state;
  auto start = parent;
  // A block carrying a replayed nonce is invalid as a whole, even if correctly signed.
  std::vector<bytes> txs = {sign(alice, 0, transfer_call{bob.public_key(), tao}),
                            sign(alice, 0, transfer_call{bob.public_key(), tao})};
  std::vector<hash32> ids;
  for (const auto& t : txs) ids.push_back(crypto::blake2b_256(t));
  block_header h{1, ctx.chain_id, 1, authority.public_key(), tx_root(ids), hash32{}, 2};
  auto r = replay(*this, before, start, encode_block(h, txs, authority));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::nonce_too_low));
  EXPECT_NE(r.error().message().find("transaction 1"), std::string::npos);
}

}  // namespace
}  // namespace synod::chain::testing
