#include "synod/store/database.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "../chain/chain_fixture.hpp"
#include "synod/store/errc.hpp"

namespace synod::store {
namespace {

using chain::testing::ChainFixture;
using chain::transfer_call;
constexpr rao tao = rao_per_tao;

class Database : public ChainFixture {
 public:
  Database() {
    dir = std::filesystem::temp_directory_path() /
          ("synod-store-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
  }
  ~Database() override { std::filesystem::remove_all(dir); }

  std::unique_ptr<database> open_db(bool sync = false) {
    auto db = database::open({dir, sync}, ctx.chain_id);
    EXPECT_TRUE(db) << db.error().to_string();
    return std::move(*db);
  }

  /// Commits genesis (the fixture's state) into a fresh database.
  std::unique_ptr<database> genesis_db(bool sync = false) {
    auto db = open_db(sync);
    chain::state_diff diff;
    for (const auto& [k, v] : state.entries()) diff.emplace(k, v);
    EXPECT_TRUE(db->commit_genesis(diff, state.digest()));
    return db;
  }

  /// Produces a block of `n` transfers from alice and commits it.
  chain::built_block commit_transfers(database& db, int n) {
    std::vector<bytes> txs;
    auto nonce = chain::get_account(state, alice.public_key()).nonce;
    for (int i = 0; i < n; ++i) txs.push_back(sign(alice, nonce + i, transfer_call{bob.public_key(), tao}));
    auto built = produce(txs);
    auto st = db.commit_block(built.header, built.hash, built.raw, built.outcome);
    EXPECT_TRUE(st) << st.error().to_string();
    return built;
  }

  std::filesystem::path dir;
};

TEST_F(Database, ReopensAtTheCommittedHeadWithTheSameState) {
  std::vector<chain::built_block> blocks;
  {
    auto db = genesis_db();
    EXPECT_EQ(db->head().height, 0u);
    EXPECT_EQ(db->head().hash, ctx.chain_id);
    for (int b = 0; b < 5; ++b) blocks.push_back(commit_transfers(*db, 3));
  }
  auto db = open_db();
  auto h = db->head();
  EXPECT_EQ(h.height, 5u);
  EXPECT_EQ(h.hash, blocks.back().hash);
  EXPECT_EQ(h.digest, state.digest());
  EXPECT_EQ(*db->recompute_digest(), state.digest());
  auto view = db->state();
  EXPECT_EQ(view->digest(), state.digest());
  EXPECT_EQ(chain::get_account(*view, bob.public_key()), chain::get_account(state, bob.public_key()));
  EXPECT_EQ(chain::get_totals(*view), chain::get_totals(state));

  EXPECT_EQ(**db->block_at(3), blocks[2].raw);
  EXPECT_FALSE(*db->block_at(6));
  EXPECT_EQ(**db->height_of(blocks[1].hash), 2u);
  auto loc = db->find_tx(blocks[4].outcome.receipts[2].tx_id);
  ASSERT_TRUE(loc && *loc);
  EXPECT_EQ((*loc)->height, 5u);
  EXPECT_EQ((*loc)->index, 2u);
  EXPECT_FALSE((*loc)->failed);
  EXPECT_EQ((*loc)->fee, blocks[4].outcome.receipts[2].fee);
}

TEST_F(Database, SnapshotDoesNotSeeLaterCommits) {
  auto db = genesis_db();
  auto before = db->state();
  auto bob_before = chain::get_account(*before, bob.public_key());
  commit_transfers(*db, 1);
  EXPECT_EQ(chain::get_account(*before, bob.public_key()), bob_before);
  EXPECT_NE(chain::get_account(*db->state(), bob.public_key()), bob_before);
}

TEST_F(Database, RefusesAnotherChainsDatabase) {
  genesis_db();
  hash32 other = ctx.chain_id;
  other.data[5] ^= 1;
  auto db = database::open({dir, false}, other);
  ASSERT_FALSE(db);
  EXPECT_TRUE(db.error().is(errc::wrong_chain)) << db.error().to_string();
}

TEST_F(Database, RefusesBlocksThatDoNotExtendTheHead) {
  auto db = genesis_db();
  auto built = commit_transfers(*db, 1);
  auto again = db->commit_block(built.header, built.hash, built.raw, built.outcome);
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().is(errc::not_next));
  EXPECT_TRUE(db->commit_genesis({}, {}).error().is(errc::already_initialised));
}

// A writer process commits synced blocks and reports each commit on a pipe; it is killed
// with SIGKILL mid-stream. Reopening must find a head at or past the last reported block,
// every block up to it, and a stored digest equal to one recomputed from the state.
TEST_F(Database, SurvivesKillNineMidCommit) {
  genesis_db().reset();
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto db = open_db(/*sync=*/true);
    for (std::uint64_t b = 1;; ++b) {
      commit_transfers(*db, 20);
      if (::write(fds[1], &b, sizeof b) != sizeof b) ::_exit(1);
    }
  }
  ::close(fds[1]);
  std::uint64_t reported = 0, b = 0;
  while (reported < 15 && ::read(fds[0], &b, sizeof b) == sizeof b) reported = b;
  ::kill(child, SIGKILL);
  while (::read(fds[0], &b, sizeof b) == sizeof b) reported = b;  // drain what was acknowledged
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(child, &wstatus, 0);
  ASSERT_TRUE(WIFSIGNALED(wstatus));

  auto db = open_db();
  auto h = db->head();
  EXPECT_GE(h.height, reported);
  EXPECT_EQ(*db->recompute_digest(), h.digest);
  for (std::uint64_t height = 1; height <= h.height; ++height)
    EXPECT_TRUE(*db->block_at(height)) << height;
  EXPECT_FALSE(*db->block_at(h.height + 1));
}

}  // namespace
}  // namespace synod::store
