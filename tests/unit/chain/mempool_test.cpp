#include "synod/chain/mempool.hpp"

#include <map>

#include "chain_fixture.hpp"

namespace synod::chain::testing {
namespace {

class Mempool : public ChainFixture {
 public:
  pooled_tx make(const crypto::keypair& who, std::uint64_t nonce, rao amount = 1) {
    auto env = sign(who, nonce, transfer_call{bob.public_key(), amount});
    return {env, decode(env)};
  }
  std::uint64_t next(const public_key& k) const { return get_account(state, k).nonce; }
  mempool::nonce_lookup lookup() const {
    return [this](const public_key& k) { return next(k); };
  }
};

TEST_F(Mempool, RejectsStaleFarFutureAndDuplicateNonces) {
  mempool pool({100, 10, 8});
  ASSERT_TRUE(pool.add(make(alice, 0), 0));
  auto dup = pool.add(make(alice, 0), 0);
  ASSERT_FALSE(dup);
  EXPECT_TRUE(dup.error().is(errc::duplicate_tx));
  auto conflict = pool.add(make(alice, 0, 2), 0);  // same nonce, another transaction
  ASSERT_FALSE(conflict);
  EXPECT_TRUE(conflict.error().is(errc::duplicate_tx));
  auto stale = pool.add(make(alice, 3), 4);
  ASSERT_FALSE(stale);
  EXPECT_TRUE(stale.error().is(errc::nonce_too_low));
  auto far = pool.add(make(alice, 8), 0);
  ASSERT_FALSE(far);
  EXPECT_TRUE(far.error().is(errc::nonce_too_high));
  EXPECT_NE(far.error().message().find("next is 0"), std::string::npos);
  EXPECT_EQ(pool.size(), 1u);
}

TEST_F(Mempool, FullPoolAndSignerQuotaPushBack) {
  mempool pool({3, 2, 100});
  ASSERT_TRUE(pool.add(make(alice, 0), 0));
  ASSERT_TRUE(pool.add(make(alice, 1), 0));
  auto quota = pool.add(make(alice, 2), 0);
  ASSERT_FALSE(quota);
  EXPECT_TRUE(quota.error().is(errc::mempool_full));
  EXPECT_NE(quota.error().message().find("quota is 2"), std::string::npos);
  ASSERT_TRUE(pool.add(make(bob, 0), 0));
  auto full = pool.add(make(key(30), 0), 0);
  ASSERT_FALSE(full);
  EXPECT_TRUE(full.error().is(errc::mempool_full));
  EXPECT_EQ(pool.size(), 3u);  // nothing lost, nothing added
}

TEST_F(Mempool, FutureNonceWaitsForTheGap) {
  mempool pool;
  ASSERT_TRUE(pool.add(make(alice, 1), 0));
  ASSERT_TRUE(pool.add(make(alice, 2), 0));
  EXPECT_TRUE(pool.ready(10).empty());
  ASSERT_TRUE(pool.add(make(alice, 0), 0));
  auto r = pool.ready(10);
  ASSERT_EQ(r.size(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) EXPECT_EQ(r[i]->tx.nonce, i);
}

TEST_F(Mempool, InterleavesSignersByArrivalAndHonoursMax) {
  mempool pool;
  ASSERT_TRUE(pool.add(make(alice, 0), 0));
  ASSERT_TRUE(pool.add(make(bob, 0), 0));
  ASSERT_TRUE(pool.add(make(alice, 1), 0));
  auto r = pool.ready(10);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0]->tx.signer, alice.public_key());
  EXPECT_EQ(r[1]->tx.signer, bob.public_key());
  EXPECT_EQ(r[2]->tx.signer, alice.public_key());
  EXPECT_EQ(pool.ready(2).size(), 2u);
}

TEST_F(Mempool, ABlockFromReadyTransactionsPrunesThem) {
  mempool pool;
  for (std::uint64_t n = 0; n < 5; ++n) ASSERT_TRUE(pool.add(make(alice, n), 0));
  ASSERT_TRUE(pool.add(make(bob, 0), 0));
  std::vector<bytes> envs;
  for (const auto* p : pool.ready(4)) envs.push_back(p->envelope);
  auto built = produce(envs);
  EXPECT_EQ(built.header.tx_count, 4u);
  EXPECT_EQ(pool.prune(lookup()), 2u);
  auto rest = pool.ready(10);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_FALSE(pool.contains(built.outcome.receipts[0].tx_id));
  EXPECT_EQ(pool.prune(lookup(), {rest[0]->tx.id}), 1u);
}

TEST_F(Mempool, PruningABlocksSignersMovesOnlyThemAndTheirNextNonceSticks) {
  mempool pool;
  for (std::uint64_t n = 0; n < 3; ++n) ASSERT_TRUE(pool.add(make(alice, n), 0));
  ASSERT_TRUE(pool.add(make(bob, 0), 0));
  // A block used alice's nonces 0 and 1. The lookup would say bob moved too, but only the
  // signers named are read: this shows what prune_signers reads, not a state a node reaches.
  std::map<public_key, std::uint64_t> nonces{{alice.public_key(), 2}, {bob.public_key(), 1}};
  auto moved = [&](const public_key& k) { return nonces.at(k); };
  EXPECT_EQ(pool.prune_signers(moved, {alice.public_key(), alice.public_key()}), 2u);
  auto r = pool.ready(10);
  ASSERT_EQ(r.size(), 2u);  // alice from 2 on; bob untouched, still at his 0
  EXPECT_EQ(r[0]->tx.nonce, 2u);
  EXPECT_EQ(r[1]->tx.signer, bob.public_key());
  // The pool remembers alice's next nonce: an admission vetted against an older snapshot
  // cannot bring back a used nonce.
  auto stale = pool.add(make(alice, 1, 7), 0);
  ASSERT_FALSE(stale);
  EXPECT_TRUE(stale.error().is(errc::nonce_too_low));
  EXPECT_NE(stale.error().message().find("next is 2"), std::string::npos);
  // A full prune reads everyone: bob's 0 goes.
  EXPECT_EQ(pool.prune(moved), 1u);
  EXPECT_EQ(pool.ready(10).size(), 1u);
}

TEST_F(Mempool, ACandidateTheBlockLeftOutAsInvalidLeavesThePool) {
  mempool pool;
  ASSERT_TRUE(pool.add(make(alice, 0), 0));
  ASSERT_TRUE(pool.add(make(alice, 1), 0));
  const auto stuck = pool.ready(1).front()->tx.id;
  // The block was built from alice's two candidates, found the first invalid and left both
  // out (the second follows a nonce never used): her nonce did not move.
  EXPECT_EQ(pool.prune_signers(lookup(), {alice.public_key(), alice.public_key()}, {stuck}), 1u);
  EXPECT_FALSE(pool.contains(stuck));
  EXPECT_TRUE(pool.ready(10).empty());  // nonce 1 waits for a new 0 instead of a dead one
  ASSERT_TRUE(pool.add(make(alice, 0, 5), 0));
  EXPECT_EQ(pool.ready(10).size(), 2u);
}

}  // namespace
}  // namespace synod::chain::testing
