// The ledger benchmark's machinery on a small load: it must commit every transaction for each
// shard count (its speed is measured by `synod bench ledger`, never asserted here).

#include "actors/bench/ledger_bench.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace synod::actors {
namespace {

TEST(LedgerBench, CommitsEveryTransactionForEachShardCount) {
  ledger_bench_options o;
  o.transactions = 600;
  o.signers = 50;
  o.shard_counts = {1, 3};
  o.sync_writes = false;
  o.repeat = 2;
  o.work_dir = std::filesystem::temp_directory_path() / ("synod-bench-test-" + std::to_string(::getpid()));
  auto r = run_ledger_bench(o);
  std::filesystem::remove_all(o.work_dir);
  EXPECT_GT(r.raw_verify_per_s, 0);
  ASSERT_EQ(r.rows.size(), 2u);
  for (const auto& row : r.rows) {
    EXPECT_GT(row.tx_per_s, 0);
    EXPECT_GE(row.blocks, 1u);
    EXPECT_GT(row.ratio_to_raw, 0);
    EXPECT_EQ(row.runs, 2u);
    EXPECT_GT(row.cpu_use, 0);
    // The node does at least one verification per transfer, and more besides.
    EXPECT_GT(row.cpu_s_per_tx, 0);
    EXPECT_GT(row.cpu_ratio, 0);
    EXPECT_LT(row.cpu_ratio, 1.5);
  }
  EXPECT_EQ(r.rows[1].shards, 3u);
}

}  // namespace
}  // namespace synod::actors
