#pragma once
// `synod bench epoch`: the time of one Yuma epoch (consensus::run_epoch) on one thread for
// several subnet sizes, beside the time of one plain pass over the same weight entries measured
// in the same run. The issue-3 target is an epoch within 10x of that pass at every size.
// The epochs of a case share one consensus::epoch_workspace, as a node's epochs would: the
// timed ones reuse the scratch memory the warm-up epoch faulted in. Beside them it times the
// same subnet's epoch with every weight and bond row emptied: the work an epoch does per uid
// (stakes, permits, every output) whatever the weights, which no sparse epoch can undercut.

#include <cstdint>
#include <vector>

namespace synod::actors {

struct epoch_bench_options {
  std::vector<std::size_t> neurons{256, 4'096, 65'536};  ///< n per case; at most 65,536
  std::vector<std::size_t> validators{64, 256, 1'024};   ///< cases with validators > n are skipped
  bool dense = true;   ///< every validator weights all n uids
  bool sparse = true;  ///< every validator weights 1% of the uids (at least one)
  std::size_t repeat = 3;  ///< timed runs per case; the median is reported
  std::uint64_t seed = 1;  ///< the random subnets are a function of this and the case
  bool yuma3 = false;      ///< Yuma 3 bonds instead of Yuma 2...
  bool liquid_alpha = true;  ///< ...with liquid alpha's per-entry rates, or the fixed EMA rate
  /// Percent of the weights each validator redraws after the warm-up epoch (0..100), as
  /// validators re-score miners between epochs: with Yuma 3 a bond above its new weight takes
  /// liquid alpha's exponential. 0: the timed epochs see the warm-up's weights.
  unsigned redraw = 0;
};

struct epoch_bench_row {
  std::size_t neurons = 0;
  std::size_t validators = 0;
  bool dense = false;
  std::uint64_t weight_entries = 0;
  std::uint64_t bond_entries = 0;  ///< old bonds fed to the timed epoch (from a warm-up epoch)
  double epoch_ms = 0;             ///< median over the repeats, input building excluded
  double plain_ms = 0;             ///< median over the repeats
  double ratio = 0;                ///< epoch_ms / plain_ms
  double empty_ms = 0;             ///< median epoch time with no weight or bond rows, same subnet
  double floor_ratio = 0;          ///< empty_ms / plain_ms
  double peak_rss_mib = 0;         ///< the process's high-water mark after this case
  double case_s = 0;               ///< the whole case: input, warm-up epoch and every repeat
  std::uint64_t checksum = 0;      ///< of the plain pass, so it cannot be optimized away
};

struct epoch_bench_result {
  static constexpr double target_ratio = 10;
  std::vector<epoch_bench_row> rows;
};

/// Runs every (neurons, validators, density) case in the order given, on the calling thread.
/// Throws std::runtime_error when an epoch fails (a bug: the generated inputs are valid) or an
/// option is out of bounds. Dense 65,536 x 1,024 holds 67M weights and takes a few GiB.
epoch_bench_result run_epoch_bench(const epoch_bench_options& opts);

}  // namespace synod::actors
