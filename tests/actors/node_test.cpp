// A whole node in process: shards admit and verify, the producer builds and commits, the peer
// imports on followers. Blocks are produced on demand (no timer), so the tests are
// deterministic.

#include "actors/node/node.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "synod/chain/errc.hpp"
#include "synod/chain/records.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

constexpr rao tao = rao_per_tao;

crypto::keypair key(std::uint8_t n) {
  std::array<std::uint8_t, 32> raw{};
  raw.fill(n);
  return crypto::keypair::from_seed(crypto::seed(raw));
}

class Node : public ::testing::Test {
 public:
  Node() {
    base = std::filesystem::temp_directory_path() /
           ("synod-node-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(base);
    g.chain_name = "synod-actors-test";
    g.authorities = {authority.public_key()};
    for (std::uint8_t i = 10; i < 30; ++i) g.balances.emplace_back(key(i).public_key(), 1000 * tao);
    chain_id = chain::chain_id(g);
  }
  ~Node() override { std::filesystem::remove_all(base); }

  std::unique_ptr<node> start(const std::string& name, std::size_t shards, bool authority_node,
                              chain::mempool_options pool = {}) {
    node_options o;
    o.data_dir = base / name;
    o.genesis = g;
    if (authority_node) o.authority = authority;
    o.shards = shards;
    o.timer = false;
    o.sync_writes = false;
    o.mempool = pool;
    auto n = node::start(std::move(o));
    EXPECT_TRUE(n) << n.error().to_string();
    return std::move(*n);
  }

  bytes transfer(std::uint8_t from, std::uint64_t nonce, std::uint8_t to, rao amount) {
    return chain::encode_tx(chain_id, key(from), nonce, chain::transfer_call{key(to).public_key(), amount});
  }

  std::filesystem::path base;
  crypto::keypair authority = key(1);
  chain::genesis g;
  hash32 chain_id;
};

TEST_F(Node, AdmitsProducesAndCommits) {
  auto n = start("a", 4, true);
  std::vector<hash32> ids;
  for (std::uint8_t from = 10; from < 20; ++from)
    for (std::uint64_t nonce = 0; nonce < 3; ++nonce) {
      auto s = n->submit(transfer(from, nonce, 25, tao));
      ASSERT_TRUE(s.ok()) << s.code << ": " << s.message;
      ids.push_back(s.tx_id);
    }
  EXPECT_TRUE(n->pending(ids[0]));
  auto height = n->produce_now();
  ASSERT_TRUE(height) << height.error().to_string();
  EXPECT_EQ(*height, 1u);
  auto& db = n->ledger().db();
  for (const auto& id : ids) {
    auto loc = db.find_tx(id);
    ASSERT_TRUE(loc && *loc) << id.hex();
    EXPECT_EQ((*loc)->height, 1u);
  }
  EXPECT_FALSE(n->pending(ids[0]));
  EXPECT_EQ(chain::get_account(*db.state(), key(25).public_key()).balance, 1030 * tao);
  // An empty block still advances the chain and mints.
  EXPECT_EQ(*n->produce_now(), 2u);
  EXPECT_EQ(chain::get_totals(*db.state()).pending_emission, 2 * tao);
}

TEST_F(Node, RejectionsNameTheirReasonAndChangeNothing) {
  auto n = start("a", 2, true);
  ASSERT_TRUE(n->submit(transfer(10, 0, 11, tao)).ok());
  ASSERT_TRUE(n->produce_now());
  auto digest = n->ledger().head().digest;

  auto replay = n->submit(transfer(10, 0, 11, tao));
  EXPECT_EQ(replay.code, "chain.nonce_too_low");
  EXPECT_EQ(replay.message, "nonce 0 already used, next is 1");

  auto forged = transfer(10, 1, 11, tao);
  forged[forged.size() - 10] ^= 1;  // inside the signature
  auto bad_sig = n->submit(forged);
  EXPECT_EQ(bad_sig.code, "chain.bad_signature") << bad_sig.message;

  auto junk = n->submit(bytes(64, 0x5a));
  EXPECT_EQ(junk.code, "chain.malformed");

  auto other_chain = chain::encode_tx(hash32{}, key(10), 1, chain::transfer_call{key(11).public_key(), 1});
  EXPECT_EQ(n->submit(other_chain).code, "chain.wrong_chain");

  EXPECT_EQ(n->ledger().head().digest, digest);
}

TEST_F(Node, FullMempoolPushesBackWithoutLosingAdmittedWork) {
  auto n = start("a", 1, true, chain::mempool_options{5, 100, 100});
  for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(n->submit(transfer(10, i, 11, 1000)).ok());
  auto full = n->submit(transfer(10, 5, 11, 1000));
  EXPECT_EQ(full.code, "chain.mempool_full");
  ASSERT_TRUE(n->produce_now());
  EXPECT_EQ(chain::get_account(*n->ledger().db().state(), key(10).public_key()).nonce, 5u);
  EXPECT_TRUE(n->submit(transfer(10, 5, 11, 1000)).ok());  // room again after the block
}

// Vetting runs on the verify pool while the shard goes on pruning for new blocks, so a block
// can empty a signer's queue between a batch's vetting and its admission. Every transaction
// admitted meanwhile must still reach a block (none left waiting for a nonce already used).
TEST_F(Node, TransactionsAdmittedWhileBlocksCommitAllReachABlock) {
  for (std::size_t shards : {1u, 2u}) {
    auto n = start("k" + std::to_string(shards), shards, true);
    constexpr std::uint64_t per_signer = 40;
    std::atomic<bool> done{false};
    std::atomic<int> refused{0};
    std::thread submitter([&] {
      for (std::uint64_t nonce = 0; nonce < per_signer; ++nonce) {
        std::vector<bytes> batch;
        for (std::uint8_t from = 10; from < 20; ++from) batch.push_back(transfer(from, nonce, 25, 1000));
        for (const auto& s : n->submit_batch(batch)) refused += s.ok() ? 0 : 1;
      }
      done = true;
    });
    while (!done) ASSERT_TRUE(n->produce_now());
    submitter.join();
    ASSERT_EQ(refused, 0);
    for (int extra = 0; extra < 3; ++extra) ASSERT_TRUE(n->produce_now());
    auto state = n->ledger().db().state();
    for (std::uint8_t from = 10; from < 20; ++from)
      EXPECT_EQ(chain::get_account(*state, key(from).public_key()).nonce, per_signer) << int(from);
  }
}

// Envelopes still being checked count against the capacity, so a flood is refused at once
// rather than queued in front of the verify pool; what was refused can be sent again.
TEST_F(Node, SubmissionsBeyondCapacityAreRefusedBeforeChecking) {
  auto n = start("a", 1, true, chain::mempool_options{10, 100, 100});
  std::vector<std::vector<bytes>> batches(3);  // three signers, nonces 0..7 each
  for (std::uint64_t i = 0; i < 24; ++i)
    batches[i / 8].push_back(transfer(static_cast<std::uint8_t>(10 + i / 8), i % 8, 20, 1000));
  std::vector<std::vector<submission>> answers(3);
  std::vector<std::thread> clients;
  for (std::size_t b = 0; b < 3; ++b) clients.emplace_back([&, b] { answers[b] = n->submit_batch(batches[b]); });
  for (auto& c : clients) c.join();
  std::size_t admitted = 0, full = 0;
  for (const auto& a : answers)
    for (const auto& s : a) {
      if (s.ok()) {
        ++admitted;
      } else {
        EXPECT_EQ(s.code, "chain.mempool_full") << s.message;
        // Refused up front, not after checking (the pool itself never fills).
        EXPECT_NE(s.message.find("10 transactions pending or being checked"), std::string::npos) << s.message;
        ++full;
      }
    }
  EXPECT_EQ(admitted, 10u);
  EXPECT_EQ(full, 14u);
  // A batch is taken from its front, so what each signer got in is a run of nonces that the
  // block carries; its first refused envelope is then the next nonce and gets in.
  ASSERT_TRUE(n->produce_now());
  for (std::size_t b = 0; b < 3; ++b)
    for (std::size_t i = 0; i < answers[b].size(); ++i)
      if (!answers[b][i].ok()) {
        auto again = n->submit(batches[b][i]);
        EXPECT_TRUE(again.ok()) << again.code << ": " << again.message;
        break;
      }
}

TEST_F(Node, FollowersWithAnyShardCountReachTheSameDigest) {
  auto producer = start("producer", 4, true);
  std::vector<std::unique_ptr<node>> followers;
  for (std::size_t k : {1, 2, 4}) followers.push_back(start("follower" + std::to_string(k), k, false));
  std::vector<bytes> blocks;
  for (int b = 0; b < 3; ++b) {
    for (std::uint8_t from = 10; from < 30; ++from)
      ASSERT_TRUE(producer->submit(transfer(from, static_cast<std::uint64_t>(b), static_cast<std::uint8_t>(10 + (from + b) % 20), tao)).ok());
    auto h = producer->produce_now();
    ASSERT_TRUE(h);
    blocks.push_back(**producer->ledger().db().block_at(*h));
  }
  for (auto& f : followers)
    for (const auto& raw : blocks) {
      auto h = f->import(raw);
      ASSERT_TRUE(h) << h.error().to_string();
    }
  for (auto& f : followers) {
    EXPECT_EQ(f->ledger().head().height, 3u);
    EXPECT_EQ(f->ledger().head().digest, producer->ledger().head().digest);
  }
  // A follower refuses a block it already has, with the store's reason.
  auto again = followers[0]->import(blocks[0]);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("chain.bad_block: height 1 does not follow 3"), std::string::npos)
      << again.error().to_string();
}

TEST_F(Node, ImportChecksSignaturesOnTheShardsAndNamesAForgery) {
  auto follower = start("follower", 3, false);
  std::vector<bytes> txs;
  for (std::uint8_t from = 10; from < 17; ++from) txs.push_back(transfer(from, 0, 20, tao));
  txs[5][txs[5].size() - 12] ^= 1;  // inside the envelope's signature
  std::vector<hash32> ids;
  for (const auto& t : txs) ids.push_back(crypto::blake2b_256(t));
  chain::block_header h{1, chain_id, 1, authority.public_key(), chain::tx_root(ids), hash32{}, 7};
  auto r = follower->import(chain::encode_block(h, txs, authority));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("chain.bad_signature: transaction 5:"), std::string::npos)
      << r.error().to_string();
  EXPECT_EQ(follower->ledger().head().height, 0u);
}

}  // namespace
}  // namespace synod::actors
