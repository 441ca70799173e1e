#include "actors/bench/epoch_bench.hpp"
#include "actors/bench/stats.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>

#include "synod/consensus/epoch.hpp"

namespace synod::actors {
namespace {

using clock_type = std::chrono::steady_clock;
using consensus::epoch_input;

constexpr std::uint64_t bench_block = 10'000;

double ms_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

double peak_rss_mib() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024;  // Linux reports KiB
}

// splitmix64: a fixed, portable stream (std distributions differ between libraries).
class random_stream {
 public:
  explicit random_stream(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }

 private:
  std::uint64_t s_;
};

// The validators' uids: a seeded sample of v out of n.
std::vector<bool> pick_validators(std::size_t n, std::size_t v, random_stream& rng) {
  std::vector<std::size_t> uids(n);
  std::iota(uids.begin(), uids.end(), std::size_t{0});
  for (std::size_t k = 0; k < v; ++k) std::swap(uids[k], uids[k + rng.below(n - k)]);
  std::vector<bool> is_validator(n);
  for (std::size_t k = 0; k < v; ++k) is_validator[uids[k]] = true;
  return is_validator;
}

// One stored weight row, sorted by uid and max-upscaled (its largest value is 65535). A sparse
// row names k = 1% of the uids: about three quarters drawn from `favored` (the k uids most
// validators agree on, so consensus and bonds form as on a live subnet), the rest anywhere.
consensus::u16_row weight_row(std::size_t n, bool dense, const std::vector<std::uint16_t>& favored,
                              random_stream& rng, std::vector<bool>& taken) {
  consensus::u16_row row;
  if (dense) {
    row.resize(n);
    for (std::size_t j = 0; j < n; ++j) row[j] = {static_cast<std::uint16_t>(j), 0};
  } else {
    const std::size_t k = favored.size();
    while (row.size() < k) {
      bool pick_favored = rng.below(4) != 0;
      auto j = pick_favored ? favored[rng.below(k)] : static_cast<std::uint16_t>(rng.below(n));
      if (!taken[j]) row.push_back({j, 0});
      taken[j] = true;
    }
    for (const auto& e : row) taken[e.uid] = false;
    std::sort(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
  }
  for (auto& e : row) e.value = static_cast<std::uint16_t>(1 + rng.below(65'535));
  row[rng.below(row.size())].value = 65'535;
  return row;
}

// Redraws `percent` of a stored row's weights, keeping it max-upscaled (its largest 65535).
void redraw(consensus::u16_row& row, unsigned percent, random_stream& rng) {
  if (percent == 0 || row.empty()) return;
  for (auto& e : row)
    if (rng.below(100) < percent) e.value = static_cast<std::uint16_t>(1 + rng.below(65'535));
  std::max_element(row.begin(), row.end(), [](const auto& a, const auto& b) { return a.value < b.value; })->value = 65'535;
}

// A subnet of n uids where v staked validators weight the uids and everyone is active, with the
// bonds a previous epoch left (one warm-up epoch from empty bonds, run on `ws`).
epoch_input make_subnet(std::size_t n, std::size_t v, bool dense, const epoch_bench_options& o,
                        consensus::epoch_workspace& ws) {
  random_stream rng(o.seed ^ (n << 32) ^ (v << 1) ^ (dense ? 1 : 0));
  epoch_input in;
  in.block = bench_block;
  in.last_mechanism_step_block = bench_block - 360;
  in.params.max_allowed_validators = static_cast<std::uint16_t>(v);
  in.params.yuma3 = o.yuma3;
  in.params.liquid_alpha = o.yuma3 && o.liquid_alpha;
  in.emission = 1'000'000'000;
  in.validator_permit = pick_validators(n, v, rng);
  in.stake.resize(n);
  in.registered_at.resize(n);
  in.last_update.assign(n, bench_block - 1);
  in.weights.resize(n);
  in.bonds.resize(n);
  std::vector<bool> taken(n);
  std::vector<std::uint16_t> favored(std::max<std::size_t>(1, n / 100));
  for (auto& j : favored) j = static_cast<std::uint16_t>(rng.below(n));
  for (std::size_t i = 0; i < n; ++i) {
    in.registered_at[i] = rng.below(bench_block / 2);
    if (!in.validator_permit[i]) continue;
    in.stake[i] = consensus::i64f64::from_int((1'000 + rng.below(1'000'000)) * 1'000'000'000);
    in.weights[i] = weight_row(n, dense, favored, rng, taken);
  }
  auto warm = consensus::run_epoch(in, ws);
  if (!warm) throw std::runtime_error("warm-up epoch failed: " + warm.error().to_string());
  in.bonds = std::move(warm->bonds);
  in.validator_permit = std::move(warm->validator_permit);
  for (consensus::u16_row& row : in.weights) redraw(row, o.redraw, rng);
  return in;
}

// The yardstick: one loop over every weight entry adding stake * weight into its column, in
// integers. The caller reads `cols` afterwards, so the loop cannot be dropped.
void plain_pass(const epoch_input& in, const std::vector<std::uint64_t>& stake,
                std::vector<std::uint64_t>& cols) {
  std::fill(cols.begin(), cols.end(), 0);
  for (std::size_t i = 0; i < in.weights.size(); ++i) {
    const std::uint64_t s = stake[i];
    for (const consensus::u16_entry& e : in.weights[i]) cols[e.uid] += s * e.value;
  }
}

std::uint64_t count_entries(const std::vector<consensus::u16_row>& rows) {
  std::uint64_t total = 0;
  for (const auto& r : rows) total += r.size();
  return total;
}

epoch_bench_row measure(std::size_t n, std::size_t v, bool dense, const epoch_bench_options& o) {
  const auto start = clock_type::now();
  // As a node keeps them for the epochs it runs, every epoch of the case reuses the scratch
  // memory of the one before (the warm-up's) and the output buffers of the one before, rather
  // than faulting in fresh pages.
  consensus::epoch_workspace ws;
  epoch_input in = make_subnet(n, v, dense, o, ws);
  std::vector<std::uint64_t> stake(n), cols(n);
  for (std::size_t i = 0; i < n; ++i) stake[i] = static_cast<std::uint64_t>(in.stake[i].floor_int());
  epoch_bench_row row;
  row.neurons = n;
  row.validators = v;
  row.dense = dense;
  row.weight_entries = count_entries(in.weights);
  row.bond_entries = count_entries(in.bonds);
  std::vector<double> epoch_ms, plain_ms, empty_ms;
  consensus::epoch_output out;  // reused as a node reuses it: only the first run allocates it
  // The same subnet with no weight or bond rows, swapped in for its own epochs: on a workspace
  // and output of its own, so that the timed epochs above see only each other's.
  std::vector<consensus::u16_row> no_weights(n), no_bonds(n);
  consensus::epoch_workspace empty_ws;
  consensus::epoch_output empty_out;
  auto empty_epoch = [&] {
    std::swap(in.weights, no_weights);
    std::swap(in.bonds, no_bonds);
    const auto t0 = clock_type::now();
    const auto done = consensus::run_epoch(in, empty_ws, empty_out);
    const double ms = ms_since(t0);
    std::swap(in.weights, no_weights);
    std::swap(in.bonds, no_bonds);
    if (!done) throw std::runtime_error("epoch without weights failed: " + done.error().to_string());
    return ms;
  };
  empty_epoch();  // its warm-up
  for (std::size_t r = 0; r < o.repeat; ++r) {
    auto t0 = clock_type::now();
    plain_pass(in, stake, cols);
    plain_ms.push_back(ms_since(t0));
    for (std::uint64_t c : cols) row.checksum = (row.checksum ^ c) * 0x100000001b3ULL;
    t0 = clock_type::now();
    const auto done = consensus::run_epoch(in, ws, out);
    epoch_ms.push_back(ms_since(t0));
    if (!done) throw std::runtime_error("epoch failed: " + done.error().to_string());
    empty_ms.push_back(empty_epoch());
  }
  row.epoch_ms = median(epoch_ms);
  row.plain_ms = median(plain_ms);
  row.ratio = row.plain_ms > 0 ? row.epoch_ms / row.plain_ms : 0;
  row.empty_ms = median(empty_ms);
  row.floor_ratio = row.plain_ms > 0 ? row.empty_ms / row.plain_ms : 0;
  row.peak_rss_mib = peak_rss_mib();
  row.case_s = ms_since(start) / 1000;
  return row;
}

void check_options(const epoch_bench_options& o) {
  if (o.repeat == 0) throw std::runtime_error("repeat must be at least 1");
  if (o.redraw > 100) throw std::runtime_error("redraw " + std::to_string(o.redraw) + " is outside 0..100 percent");
  for (std::size_t n : o.neurons)
    if (n == 0 || n > 65'536)
      throw std::runtime_error("neurons " + std::to_string(n) + " is outside 1..65536");
  for (std::size_t v : o.validators)
    if (v == 0 || v > 65'535)
      throw std::runtime_error("validators " + std::to_string(v) + " is outside 1..65535");
}

}  // namespace

epoch_bench_result run_epoch_bench(const epoch_bench_options& opts) {
  check_options(opts);
  epoch_bench_result r;
  for (std::size_t n : opts.neurons)
    for (std::size_t v : opts.validators) {
      if (v > n) continue;
      if (opts.dense) r.rows.push_back(measure(n, v, true, opts));
      if (opts.sparse) r.rows.push_back(measure(n, v, false, opts));
    }
  return r;
}

}  // namespace synod::actors
