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
  std::size_t threads = 0;  ///< verification threads and actor workers; 0 = one per core
  std::filesystem::path work_dir;  ///< scratch space for the databases; removed afterwards
  bool sync_writes = true;
};

struct ledger_bench_row {
  std::size_t shards = 0;
  double tx_per_s = 0;
  double ratio_to_raw = 0;  ///< tx_per_s / raw verifications per second
  std::uint64_t blocks = 0;
};

struct ledger_bench_result {
  std::size_t threads = 0;
  double raw_verify_per_s = 0;
  std::vector<ledger_bench_row> rows;
};

ledger_bench_result run_ledger_bench(const ledger_bench_options& opts);

}  // namespace synod::actors
