#pragma once
// `synod bench ledger`: signed transfers per second, admitted (decoded, signature-checked by
// the shards), applied and committed (synced WriteBatch per block) by a real node, for several
// shard counts, beside the raw ed25519 verification rate of all cores measured in the same run.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace synod::actors {

struct ledger_bench_options {
  std::size_t transactions = 20'000;
  std::size_t signers = 1'000;
  std::vector<std::size_t> shard_counts{1, 2, 4};
  std::size_t threads = 0;  ///< threads of the raw verification rate; 0 = one per core, as the node's verify pool
  std::size_t actor_threads = 0;  ///< the node's actor workers; 0 = the node's default
  std::filesystem::path work_dir;  ///< scratch space for the databases; removed afterwards
  bool sync_writes = true;
  /// Block interval while transactions stream in (a fast chain); blocks are produced on
  /// this pace, not in a tight loop, so the producer does not starve the shards.
  std::size_t block_ms = 50;
  /// Envelopes per submission message (the gateway sends one at a time; a bulk client or a
  /// peer relaying its mempool sends many).
  std::size_t batch = 500;
  /// Runs per shard count; each row shows the medians (the machine is shared and noisy).
  std::size_t repeat = 3;
};

/// With repeat > 1, every figure is the median over the runs, each taken on its own (the
/// ratio is the median of the runs' ratios, not the ratio of the medians).
struct ledger_bench_row {
  std::size_t shards = 0;
  std::size_t runs = 1;
  double tx_per_s = 0;
  double raw_verify_per_s = 0;  ///< the mean of one measurement just before the run and one just after
  double ratio_to_raw = 0;      ///< tx_per_s / raw_verify_per_s
  /// CPU seconds of one raw verification over the node's CPU seconds per committed transfer:
  /// the share of the node's CPU that goes to signature checks. Unlike ratio_to_raw it does
  /// not move when other tenants take cores away during a run.
  double cpu_ratio = 0;
  double cpu_s_per_tx = 0;  ///< the node's (the whole process's) CPU seconds per committed transfer
  std::uint64_t blocks = 0;
  double cpu_use = 0;  ///< process CPU seconds per wall second while loading (2.0 = two busy cores)
  double tail_s = 0;   ///< from the last admitted submission to the last commit
};

struct ledger_bench_result {
  std::size_t threads = 0;        ///< of the raw verification rate
  std::size_t actor_threads = 0;  ///< the node's actor workers
  double raw_verify_per_s = 0;  ///< median of the per-row measurements
  std::vector<ledger_bench_row> rows;
};

ledger_bench_result run_ledger_bench(const ledger_bench_options& opts);

}  // namespace synod::actors
