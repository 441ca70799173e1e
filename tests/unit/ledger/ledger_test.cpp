#include "synod/ledger/ledger.hpp"

#include <unistd.h>

#include "../chain/chain_fixture.hpp"

namespace synod::ledger {
namespace {

using chain::testing::ChainFixture;
using chain::transfer_call;

class Ledger : public ChainFixture {
 public:
  Ledger() {
    base = std::filesystem::temp_directory_path() /
           ("synod-ledger-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(base);
  }
  ~Ledger() override { std::filesystem::remove_all(base); }

  std::unique_ptr<ledger> open(const std::string& name) {
    auto l = ledger::open({base / name, false}, g);
    EXPECT_TRUE(l) << l.error().to_string();
    return std::move(*l);
  }

  chain::built_block produce_on(ledger& l, std::uint64_t first_nonce, int n) {
    std::vector<bytes> envs;
    std::vector<chain::decoded_tx> txs;
    for (int i = 0; i < n; ++i) {
      envs.push_back(sign(alice, first_nonce + i, transfer_call{bob.public_key(), 1000}));
      txs.push_back(decode(envs.back()));
    }
    auto built = l.produce(l.head().slot + 1, authority, envs, txs);
    EXPECT_TRUE(built) << built.error().to_string();
    return *built;
  }

  std::filesystem::path base;
};

TEST_F(Ledger, AFollowerImportsTheProducersBlocksToTheSameState) {
  auto producer = open("producer");
  auto follower = open("follower");
  EXPECT_EQ(producer->head().digest, follower->head().digest);
  for (int b = 0; b < 4; ++b) {
    auto built = produce_on(*producer, 5 * b, 5);
    auto imported = follower->import(built.raw);
    ASSERT_TRUE(imported) << imported.error().to_string();
  }
  EXPECT_EQ(follower->head().height, 4u);
  EXPECT_EQ(follower->head().hash, producer->head().hash);
  EXPECT_EQ(follower->head().digest, producer->head().digest);
  EXPECT_EQ(*follower->db().recompute_digest(), follower->head().digest);
}

TEST_F(Ledger, ARejectedImportLeavesTheStoreUntouched) {
  auto producer = open("producer");
  auto follower = open("follower");
  auto built = produce_on(*producer, 0, 3);
  auto before = follower->head();
  auto bent = built.raw;
  bent[bent.size() / 2] ^= 0x20;
  auto r = follower->import(bent);
  ASSERT_FALSE(r);
  EXPECT_EQ(follower->head().height, before.height);
  EXPECT_EQ(follower->head().digest, before.digest);
  // The same block twice: the second does not extend the head.
  ASSERT_TRUE(follower->import(built.raw));
  EXPECT_FALSE(follower->import(built.raw));
  EXPECT_EQ(follower->head().height, 1u);
}

TEST_F(Ledger, ReopeningKeepsTheChainAndRefusesAnotherGenesis) {
  {
    auto l = open("node");
    produce_on(*l, 0, 2);
  }
  auto l = open("node");
  EXPECT_EQ(l->head().height, 1u);
  auto other = g;
  other.chain_name = "another-chain";
  auto wrong = ledger::open({base / "node", false}, other);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().domain().name, "store");
}

TEST(ShardOf, IsStableAndSpreadsKeys) {
  std::vector<int> counts(4);
  for (std::uint8_t i = 0; i < 200; ++i) {
    auto k = crypto::keypair::from_seed(crypto::seed(std::array<std::uint8_t, 32>{i})).public_key();
    auto s = shard_of(k, 4);
    EXPECT_EQ(s, shard_of(k, 4));
    EXPECT_EQ(shard_of(k, 1), 0u);
    ++counts[s];
  }
  for (int c : counts) EXPECT_GT(c, 20);
}

}  // namespace
}  // namespace synod::ledger
