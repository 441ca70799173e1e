// The epoch against its oracle (oracle/: the implementation before the speed work) on many
// seeded random subnets: every output must be identical, bit for bit. The inputs cover what
// the golden files do not: saturating stakes, explicit zeros, rows out of order, uids >= n,
// every hyperparameter's edges, and bonds fed back from a previous epoch as on chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "consensus/epoch_steps.hpp"
#include "epoch_cases.hpp"
#include "oracle/csr.hpp"
#include "oracle/oracle.hpp"
#include "synod/consensus/epoch.hpp"
#include "synod/consensus/weighted_median.hpp"

namespace synod::consensus {
namespace {

using namespace cases;

TEST(EpochOracle, RandomSmallSubnets) {
  rng r(20240611);
  int eventful_cases = 0;
  epoch_workspace ws;  // one for all: subnets of every size and mode follow each other on it
  for (int c = 0; c < 3000 && !HasFailure(); ++c) {
    const std::size_t n = 1 + r.below(c % 10 == 0 ? 400 : 24);
    eventful_cases += expect_same(random_input(r, n), "case " + std::to_string(c), c % 2 ? &ws : nullptr);
  }
  EXPECT_GT(eventful_cases, 500);  // the generator is not degenerate
}

// As on chain and in `synod bench epoch`: one epoch's bonds and permits feed the next.
TEST(EpochOracle, EpochsChainedThroughTheirBonds) {
  rng r(77);
  for (int c = 0; c < 200 && !HasFailure(); ++c) {
    epoch_input in = random_input(r, 1 + r.below(c % 4 == 0 ? 600 : 60));
    for (int step = 0; step < 3 && !HasFailure(); ++step) {
      expect_same(in, "case " + std::to_string(c) + " step " + std::to_string(step));
      auto out = oracle::run_epoch(in);
      if (!out) break;
      in.bonds = std::move(out->bonds);
      in.validator_permit = std::move(out->validator_permit);
      in.block += in.params.tempo;
    }
  }
}

// Yuma 2 at the EMA rate's ends (bonds_moving_average 0: rate 1; a million: rate 0) and next
// to them: the fast path multiplies by the rate in 64 bits only strictly between 0 and 1.
TEST(EpochOracle, Yuma2EmaRatesAtTheirEnds) {
  rng r(41);
  const std::uint64_t rates[] = {0, 1'000'000, 1, 999'999};
  for (int c = 0; c < 400 && !HasFailure(); ++c) {
    epoch_input in = random_input(r, 1 + r.below(c % 10 == 0 ? 300 : 30));
    in.params.yuma3 = false;
    in.params.bonds_moving_average = rates[c % 4];
    for (int step = 0; step < 2 && !HasFailure(); ++step) {
      expect_same(in, "random case " + std::to_string(c) + " step " + std::to_string(step));
      auto out = oracle::run_epoch(in);
      if (!out) break;
      in.bonds = std::move(out->bonds);
      in.validator_permit = std::move(out->validator_permit);
    }
  }
  for (int c = 0; c < 8 && !HasFailure(); ++c) {  // bench-shaped: every stake a proportion
    const std::size_t n = 64 + r.below(600), v = 1 + r.below(std::min<std::size_t>(n, 64));
    epoch_input in = bench_shaped(v, 0);
    in.params.bonds_moving_average = rates[c % 4];
    add_bench_uids(r, in, n, v, c % 2 == 0);
    expect_chained(in, "bench-shaped case " + std::to_string(c), 3);
  }
}

// The public column medians on any I32F32 scores (negative, above 1, uids past n), which take
// the wide path, and on proportions, which take the packed one.
TEST(EpochOracle, ColumnMediansOfAnyScores) {
  rng r(31);
  for (int c = 0; c < 400 && !HasFailure(); ++c) {
    const std::size_t n = 1 + r.below(60), rows = r.below(80);
    const bool proportions = c % 2 == 0;
    std::vector<i32f32> stake;
    fixed_matrix m;
    oracle::detail::csr want_in;
    for (std::size_t i = 0; i < rows; ++i) {
      stake.push_back(i32f32::from_raw(r.chance(20) ? 0 : static_cast<std::int64_t>(r.below(std::uint64_t{1} << 33)) - (r.chance(10) ? (std::int64_t{1} << 32) : 0)));
      fixed_row row;
      for (std::size_t j = 0; j < n + 2; ++j) {
        if (!r.chance(40)) continue;
        const std::int64_t x = proportions ? static_cast<std::int64_t>(r.below((std::uint64_t{1} << 32) + 1))
                                           : static_cast<std::int64_t>(r.next() >> r.below(64)) * (r.chance(20) ? -1 : 1);
        row.push_back({static_cast<std::uint16_t>(j), i32f32::from_raw(r.chance(10) ? 0 : x)});
        want_in.push(row.back().uid, row.back().value);
      }
      want_in.end_row();
      m.push_back(std::move(row));
    }
    const i32f32 kappa = i32f32::from_u16_proportion(static_cast<std::uint16_t>(r.next()));
    EXPECT_EQ(weighted_median_columns(stake, m, n, kappa), oracle::detail::column_medians(stake, want_in, n, kappa))
        << "case " << c;
  }
}

// Proportions over many columns that hold a few scores and a few that hold many, as on a
// sparse subnet: the packed path leaves out columns whose few voters cannot outweigh the zero
// group, and answers 0 for gathered ones whose zero group passes the minority. Stakes equal,
// skewed toward one voter, or with unstaked voters move where those bounds fall; kappa at its
// ends moves the minority.
TEST(EpochOracle, ColumnMediansOfSparseColumns) {
  rng r(57);
  for (int c = 0; c < 120 && !HasFailure(); ++c) {
    const std::size_t n = 50 + r.below(3'000), rows = 1 + r.below(300);
    std::vector<std::uint16_t> favored(1 + n / 100);
    for (auto& j : favored) j = static_cast<std::uint16_t>(r.below(n));
    std::vector<i32f32> stake;
    fixed_matrix m;
    oracle::detail::csr want_in;
    for (std::size_t i = 0; i < rows; ++i) {
      const std::int64_t s = c % 3 == 0 ? 1'000 : c % 3 == 1 && i == 0 ? std::int64_t{1} << 40 : 1 + r.below(1'000'000);
      stake.push_back(i32f32::from_raw(r.chance(10) ? 0 : s));
      std::vector<std::uint16_t> uids;
      for (std::size_t t = 0; t < favored.size(); ++t)
        uids.push_back(r.chance(75) ? favored[r.below(favored.size())] : static_cast<std::uint16_t>(r.below(n)));
      std::sort(uids.begin(), uids.end());
      uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
      fixed_row row;
      for (std::uint16_t u : uids) {
        const std::uint64_t one = std::uint64_t{1} << 32;
        const std::uint64_t x = r.chance(5) ? 0 : r.chance(5) ? one : 1 + r.below(one);
        row.push_back({u, i32f32::from_raw(static_cast<std::int64_t>(x))});
        want_in.push(u, row.back().value);
      }
      want_in.end_row();
      m.push_back(std::move(row));
    }
    const std::uint16_t k = c % 4 == 0 ? 0 : c % 4 == 1 ? 65535 : static_cast<std::uint16_t>(r.next());
    const i32f32 kappa = i32f32::from_u16_proportion(k);
    EXPECT_EQ(weighted_median_columns(stake, m, n, kappa), oracle::detail::column_medians(stake, want_in, n, kappa))
        << "case " << c;
  }
}

// Rows whose I32F32 weight sum saturates (at least 2^31: over 32,768 uids weighted high).
// Kappa at 65535 is 1.0, above the voters' normalized total (which rounds below 1.0): the
// minority is below 0, every score passes it, and a column's consensus is its smallest score.
// On sparse subnets a column with more than 32 scores, none in the lowest sixteenth of its
// range, once came out 0: its selection narrowed to the first histogram bucket, empty.
TEST(EpochOracle, KappaAboveTheVotersTotal) {
  rng r(65535);
  for (int c = 0; c < 40 && !HasFailure(); ++c) {
    const std::size_t n = 40 + r.below(200), v = 33 + r.below(40);
    epoch_input in = bench_shaped(v, c);
    in.params.kappa = 65535;
    add_bench_uids(r, in, n, v, c % 2 == 0);
    for (u16_row& row : in.weights) {  // a column every validator scores, none of them low
      if (row.empty()) continue;
      std::erase_if(row, [](const u16_entry& e) { return e.uid == 0; });
      row.insert(row.begin(), {0, 65535});
    }
    expect_chained(in, "kappa 1.0 case " + std::to_string(c), 2);
  }
}

// A bench-shaped sparse subnet of thousands of uids: about 1% of them favored by most weights
// (their columns hold many scores), some targets registered since the previous epoch, zero
// and unstaked validators; case c picks the Yuma and the penalty.
epoch_input large_sparse_input(rng& r, int c) {
  const std::size_t n = 2'000 + r.below(14'000), v = 8 + r.below(300);
  epoch_input in = bench_shaped(v, c);
  in.params.bonds_penalty = c % 3 == 0 ? 65535 : u16_value(r);
  std::vector<std::uint16_t> favored(n / 100 + 1);
  for (auto& j : favored) j = static_cast<std::uint16_t>(r.below(n));
  for (std::size_t i = 0; i < n; ++i) {
    const bool validator = r.below(n) < v;
    in.stake.push_back(validator && !r.chance(5) ? i64f64::from_int((1'000 + r.below(1'000'000)) * 1'000'000'000) : i64f64{});
    in.registered_at.push_back(r.chance(3) ? 9'700 + r.below(200) : r.below(5'000));  // some since the last epoch
    in.last_update.push_back(9'999);
    in.validator_permit.push_back(validator);
    u16_row row;
    if (validator) {
      std::vector<std::uint16_t> uids;
      for (std::size_t t = 0; t < favored.size(); ++t)
        uids.push_back(r.chance(75) ? favored[r.below(favored.size())] : static_cast<std::uint16_t>(r.below(n)));
      std::sort(uids.begin(), uids.end());
      uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
      for (std::uint16_t u : uids) row.push_back({u, static_cast<std::uint16_t>(r.below(65'536))});
    }
    in.weights.push_back(std::move(row));
    in.bonds.emplace_back();
  }
  return in;
}

// A subnet of 34,000 uids or more whose few validators weight nearly every uid at 65,000 or
// more: their rows' I32F32 sums saturate (reach 2^31, checked here). Such rows take the dense
// path where it runs; with `omit` > 0 each row leaves out about one uid in `omit`, and the
// bonds' EMA rate is 1 (bonds_moving_average 0), which the dense path leaves to the
// compressed-row steps.
epoch_input saturated_input(rng& r, int c, std::uint64_t omit) {
  const std::size_t n = 34'000 + r.below(2'000);
  epoch_input in;
  in.block = 10'000;
  in.params.yuma3 = c % 2 == 1;
  in.params.liquid_alpha = c == 3;
  in.params.max_allowed_validators = 8;
  if (omit != 0) in.params.bonds_moving_average = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool validator = i < 3 + static_cast<std::size_t>(c);
    in.stake.push_back(validator ? i64f64::from_int(1'000 + r.below(1'000'000)) : i64f64{});
    in.registered_at.push_back(r.below(5'000));
    in.last_update.push_back(9'999);
    in.validator_permit.push_back(validator);
    u16_row row;
    std::uint64_t sum = 0;
    if (validator)
      for (std::size_t j = 0; j < n; ++j)
        if (omit == 0 || r.below(omit) != 0) {
          row.push_back({static_cast<std::uint16_t>(j), static_cast<std::uint16_t>(65'000 + r.below(536))});
          sum += row.back().value;
        }
    if (validator) {
      EXPECT_GE(sum, std::uint64_t{1} << 31) << "row " << i << " must saturate";
    }
    in.weights.push_back(std::move(row));
    in.bonds.emplace_back();
  }
  return in;
}

TEST(EpochOracle, SaturatedWeightRows) {
  rng r(9);
  for (int c = 0; c < 4 && !HasFailure(); ++c) {
    epoch_input in = saturated_input(r, c, c == 2 ? 200 : 0);
    expect_chained(in, "saturated case " + std::to_string(c), 2);
  }
}

// The compressed-row steps on each instruction set's kernels (weight rows are normalized by
// one): random subnets (uids past n, a row naming its own uid, rows of every length) and rows
// whose sums saturate.
TEST(EpochOracle, SparseEpochsOnEveryInstructionSet) {
  for (const char* isa : {"base", "avx2", "avx512"}) {
    if (!detail::use_dense_kernels(isa)) continue;
    SCOPED_TRACE(isa);
    rng r(4242);
    epoch_workspace ws;
    for (int c = 0; c < 400 && !HasFailure(); ++c)
      expect_same(random_input(r, 1 + r.below(c % 10 == 0 ? 400 : 40)), "case " + std::to_string(c), &ws);
    for (int c = 0; c < 4 && !HasFailure(); ++c) {  // columns of many scores: the medians' kernels
      epoch_input in = large_sparse_input(r, c);
      expect_chained(in, "large sparse case " + std::to_string(c), 2);
    }
    epoch_input in = saturated_input(r, 0, 100);
    expect_same(in, "saturated short rows", &ws);
    // 1.0 * 1.0: the only staked validator puts its whole weight on one uid of a row longer
    // than a vector (and under half the uids: not the dense path), whose consensus is 1.0 too.
    // An old bond of another uid there makes W~'s size matter (its share of the column).
    epoch_input whole = bench_shaped(4, 0);
    add_bench_uids(r, whole, 40, 4, false);
    for (std::size_t i = 0; i < 40; ++i) {
      whole.stake[i] = i == 3 ? i64f64::from_int(5'000) : i64f64{};
      whole.validator_permit[i] = i == 3;
      whole.weights[i].clear();
    }
    whole.bonds[5] = {{17, 30'000}};
    for (std::uint16_t j = 10; j < 22; ++j) whole.weights[3].push_back({j, j == 17 ? std::uint16_t{65535} : std::uint16_t{0}});
    expect_chained(whole, "all stake on one weight", 2);
    // Ten voters, each with its whole weight on uid 17: its column of ten scores at 1.0 has a
    // consensus of 1.0, which the vector rank clips to.
    epoch_input ten = bench_shaped(10, 0);
    add_bench_uids(r, ten, 40, 10, false);
    for (std::size_t i = 0; i < 40; ++i) {
      ten.stake[i] = i < 10 ? i64f64::from_int(1'000 + r.below(9'000)) : i64f64{};
      ten.validator_permit[i] = i < 10;
      ten.weights[i].clear();
      if (i < 10)
        for (std::uint16_t j = 10; j < 22; ++j) ten.weights[i].push_back({j, j == 17 ? std::uint16_t{65535} : std::uint16_t{0}});
    }
    ten.bonds[30] = {{17, 30'000}};
    expect_chained(ten, "ten voters at 1.0", 2);
  }
  ASSERT_TRUE(detail::use_dense_kernels("best"));
}

// Bench-shaped sparse subnets of thousands of uids, chained through their bonds: most columns
// empty (the fast paths' skipped dividers must not matter, nor what an earlier, larger epoch
// left in the shared workspace), some targets registered since the previous epoch (bonds to
// them dropped), zero and unstaked validators, Yuma 3 with liquid alpha.
TEST(EpochOracle, LargeSparseSubnetsChained) {
  rng r(123);
  epoch_workspace ws;
  for (int c = 0; c < 12 && !HasFailure(); ++c) {
    epoch_input in = large_sparse_input(r, c);
    for (int step = 0; step < 3 && !HasFailure(); ++step) {
      expect_same(in, "large sparse case " + std::to_string(c) + " step " + std::to_string(step), &ws);
      auto out = oracle::run_epoch(in);
      ASSERT_TRUE(out);
      in.bonds = std::move(out->bonds);
      in.validator_permit = std::move(out->validator_permit);
      in.block += 360;
      in.last_mechanism_step_block += 360;
    }
  }
}

}  // namespace
}  // namespace synod::consensus
