// The epoch against its oracle (oracle/: the implementation before the speed work) on many
// seeded random subnets: every output must be identical, bit for bit. The inputs cover what
// the golden files do not: saturating stakes, explicit zeros, rows out of order, uids >= n,
// every hyperparameter's edges, and bonds fed back from a previous epoch as on chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "consensus/epoch_steps.hpp"
#include "oracle/csr.hpp"
#include "oracle/oracle.hpp"
#include "synod/consensus/epoch.hpp"
#include "synod/consensus/weighted_median.hpp"

namespace synod::consensus {
namespace {

// splitmix64: a fixed stream, the same on every machine.
class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

// A u16 that is often an edge: 0, 1, 65535, or a power of two.
std::uint16_t u16_value(rng& r) {
  switch (r.below(8)) {
    case 0: return 0;
    case 1: return 65535;
    case 2: return 1;
    case 3: return static_cast<std::uint16_t>(std::uint32_t{1} << r.below(16));
    default: return static_cast<std::uint16_t>(r.next());
  }
}

i64f64 stake_value(rng& r) {
  switch (r.below(7)) {
    case 0: return i64f64{};
    case 6:  // not on chain, but the type allows it
      return r.chance(80) ? i64f64::from_int(1 + r.below(1000)) : i64f64::from_raw(-static_cast<i128>(r.next()) << 40);
    case 1: return i64f64::from_int(~std::uint64_t{0});  // saturates the total
    case 2: return i64f64::from_raw(static_cast<i128>(r.next() >> r.below(64)));  // a fraction
    default: return i64f64::from_int((1 + r.below(1'000'000)) * (r.chance(50) ? 1'000'000'000 : 1));
  }
}

// A row of distinct uids, some past n, in order or (rarely) not; `dense` names every uid.
u16_row random_row(rng& r, std::size_t n, bool dense) {
  std::vector<std::uint16_t> uids;
  if (dense) {
    uids.resize(n);
    std::iota(uids.begin(), uids.end(), std::uint16_t{0});
  } else {
    const std::size_t k = r.below(std::min<std::size_t>(n + 3, 40));
    for (std::size_t t = 0; t < k; ++t) uids.push_back(static_cast<std::uint16_t>(r.below(n + 3)));
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  }
  if (r.chance(5)) std::reverse(uids.begin(), uids.end());
  u16_row row;
  const bool upscaled = r.chance(60);  // how storage keeps weights: the largest is 65535
  for (std::uint16_t u : uids) row.push_back({u, upscaled ? static_cast<std::uint16_t>(1 + r.below(65535)) : u16_value(r)});
  if (upscaled && !row.empty()) row[r.below(row.size())].value = 65535;
  return row;
}

yuma_params random_params(rng& r, std::size_t n) {
  yuma_params p;
  p.tempo = 1 + r.below(1000);
  p.kappa = r.chance(50) ? 32767 : u16_value(r);
  p.bonds_moving_average = r.chance(40) ? 900'000 : r.below(1'100'000);
  p.bonds_penalty = r.chance(40) ? 65535 : u16_value(r);
  p.yuma3 = r.chance(50);
  p.liquid_alpha = r.chance(60);
  p.alpha_low = r.chance(50) ? 45875 : u16_value(r);
  p.alpha_high = r.chance(50) ? 58982 : u16_value(r);
  p.alpha_sigmoid_steepness = r.chance(50) ? 1000 : static_cast<std::int16_t>(r.next());
  p.max_allowed_validators = static_cast<std::uint16_t>(r.below(n + 5));
  p.activity_cutoff = r.chance(80) ? 5000 : r.below(200);
  p.stake_threshold = r.chance(80) ? 0 : r.below(2'000'000);
  return p;
}

epoch_input random_input(rng& r, std::size_t n) {
  epoch_input in;
  in.block = 1000 + r.below(10'000);
  in.last_mechanism_step_block = r.chance(30) ? 0 : in.block - 1 - r.below(500);
  in.params = random_params(r, n);
  const unsigned validators = static_cast<unsigned>(r.below(101));  // percent with a permit
  const bool dense = r.chance(30);
  for (std::size_t i = 0; i < n; ++i) {
    in.stake.push_back(stake_value(r));
    in.registered_at.push_back(r.below(in.block + 2));
    in.last_update.push_back(r.chance(90) ? in.block - r.below(in.block / 4) : r.below(in.block));
    in.validator_permit.push_back(r.chance(validators));
    in.weights.push_back(r.chance(validators + 10) ? random_row(r, n, dense) : u16_row{});
    in.bonds.push_back(r.chance(50) ? random_row(r, n, dense && r.chance(50)) : u16_row{});
  }
  if (r.chance(70)) in.owner_uid = static_cast<std::uint16_t>(r.below(n + 2));
  if (r.chance(30))
    for (std::size_t i = 0; i < n; ++i)
      in.first_commit_block.push_back(
          r.chance(50) ? std::nullopt
                       : std::optional<std::uint64_t>(r.chance(10) ? ~std::uint64_t{0} : r.below(in.block)));
  in.emission = r.chance(80) ? 1'000'000'000 : r.next();
  return in;
}

// Whether the epoch paid dividends and stored bonds: the cases that exercise every step.
bool eventful(const epoch_output& out) {
  return std::any_of(out.dividends.begin(), out.dividends.end(), [](auto d) { return d != 0; }) &&
         std::any_of(out.bonds.begin(), out.bonds.end(), [](const u16_row& b) { return !b.empty(); });
}

// Compares every output; returns whether the case was eventful. With a workspace, the epoch
// runs on it (whatever earlier epochs left there must not matter).
bool expect_same(const epoch_input& in, const std::string& where, epoch_workspace* ws = nullptr) {
  const auto got = ws ? run_epoch(in, *ws) : run_epoch(in);
  const auto want = oracle::run_epoch(in);
  EXPECT_EQ(static_cast<bool>(got), static_cast<bool>(want)) << where;
  if (!got || !want) return false;
  EXPECT_EQ(got->consensus, want->consensus) << where;
  EXPECT_EQ(got->incentive, want->incentive) << where;
  EXPECT_EQ(got->dividends, want->dividends) << where;
  EXPECT_EQ(got->validator_trust, want->validator_trust) << where;
  EXPECT_EQ(got->stake_weight, want->stake_weight) << where;
  EXPECT_EQ(got->active, want->active) << where;
  EXPECT_EQ(got->validator_permit, want->validator_permit) << where;
  EXPECT_EQ(got->server_emission, want->server_emission) << where;
  EXPECT_EQ(got->validator_emission, want->validator_emission) << where;
  EXPECT_EQ(got->emission, want->emission) << where;
  EXPECT_EQ(got->bonds, want->bonds) << where;
  return eventful(*want);
}

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

// The settings the bench-shaped cases share: an epoch due at block 10,000 with `v` validator
// permits; case c picks Yuma 3 when odd and liquid alpha when c % 4 == 1.
epoch_input bench_shaped(std::size_t v, int c) {
  epoch_input in;
  in.block = 10'000;
  in.last_mechanism_step_block = 9'640;
  in.params.max_allowed_validators = static_cast<std::uint16_t>(v);
  in.params.yuma3 = c % 2 == 1;
  in.params.liquid_alpha = c % 4 == 1;
  in.emission = 1'000'000'000;
  return in;
}

// Appends n uids to a bench-shaped input: about v of them staked validators weighting the
// uids (every uid when dense), none with bonds yet.
void add_bench_uids(rng& r, epoch_input& in, std::size_t n, std::size_t v, bool dense) {
  for (std::size_t i = 0; i < n; ++i) {
    const bool validator = r.below(n) < v;
    in.stake.push_back(validator ? i64f64::from_int((1'000 + r.below(1'000'000)) * 1'000'000'000) : i64f64{});
    in.registered_at.push_back(r.below(5'000));
    in.last_update.push_back(9'999);
    in.validator_permit.push_back(validator);
    in.weights.push_back(validator ? random_row(r, n, dense) : u16_row{});
    in.bonds.emplace_back();
  }
}

// `steps` epochs, each compared with the oracle, each feeding the next its bonds and permits.
void expect_chained(epoch_input& in, const std::string& label, int steps) {
  for (int step = 0; step < steps && !::testing::Test::HasFailure(); ++step) {
    expect_same(in, label + " step " + std::to_string(step));
    auto out = oracle::run_epoch(in);
    ASSERT_TRUE(out) << label;
    in.bonds = std::move(out->bonds);
    in.validator_permit = std::move(out->validator_permit);
  }
}

// Bench-shaped: staked validators weighting every uid, all active, default hyperparameters.
TEST(EpochOracle, DenseSubnetsWithDefaultParameters) {
  rng r(5);
  for (int c = 0; c < 24 && !HasFailure(); ++c) {
    const std::size_t n = 64 + r.below(1500), v = 1 + r.below(std::min<std::size_t>(n, 128));
    epoch_input in = bench_shaped(v, c);
    add_bench_uids(r, in, n, v, c % 3 != 0);
    expect_chained(in, "dense case " + std::to_string(c), 2);
  }
}

// Yuma 3's settings for a dense case: liquid alpha mostly, with any bounds and steepness; an
// EMA rate of 0 or 1 at times, and at times one past 1 (the compressed-row steps take those).
void yuma3_params(rng& r, yuma_params& p) {
  p.yuma3 = true;
  p.liquid_alpha = r.chance(80);
  p.alpha_low = r.chance(50) ? 45875 : u16_value(r);
  p.alpha_high = r.chance(50) ? 58982 : u16_value(r);
  // Steepness of either sign (a negative one turns the sigmoid round); the exponential's clamp
  // at +-20 bites from |steepness| 4000 on.
  p.alpha_sigmoid_steepness = r.chance(50)   ? 1000
                              : r.chance(50) ? static_cast<std::int16_t>(static_cast<int>(r.below(8001)) - 4000)
                                             : static_cast<std::int16_t>(r.next());
  if (r.chance(10)) p.bonds_moving_average = r.chance(50) ? 1'000'000 : r.chance(50) ? 0 : 1'000'001;
}

// Old Yuma 3 bonds for a validator's row of n uids: any u16 (0 and 65535 among them), on every
// uid or most, their own and uids past n included at times; `heavy`: all near 1.0, so that a
// column's bonds may sum past 4.0.
u16_row yuma3_bonds(rng& r, std::size_t n, bool heavy) {
  u16_row row;
  const bool most = r.chance(30);
  for (std::size_t j = 0; j < n + (r.chance(10) ? 2 : 0); ++j)
    if (!most || r.chance(70))
      row.push_back({static_cast<std::uint16_t>(j), heavy ? static_cast<std::uint16_t>(60'000 + r.below(5536)) : u16_value(r)});
  return row;
}

// Subnets whose validators weight every uid in order (the shape epoch_dense.cpp takes), with
// the hyperparameters, stakes and weights that reach its edges: a single validator (stake
// 1.0), permit holders without weights or without stake, explicit zero weights, a row with one
// non-zero weight (normalized to 1.0: the compressed-row steps take over), the owner weighting
// itself, columns only one validator weights (shares of 1.0), any kappa, penalty and EMA rate.
// With Yuma 3, also old bonds of any size (above the weights: liquid alpha's exponentials) and
// weights that change between epochs.
void dense_cases(int cases, bool yuma3) {
  rng r(yuma3 ? 2027 : 2026);
  for (int c = 0; c < cases && !::testing::Test::HasFailure(); ++c) {
    const std::size_t n = 2 + r.below(c % 8 == 0 ? 700 : 90);
    const std::size_t v = c % 10 == 0 ? 1 : 1 + r.below(std::min<std::size_t>(n, 40));
    epoch_input in = bench_shaped(v, 0);
    in.params.kappa = r.chance(50) ? 32767 : u16_value(r);
    in.params.bonds_penalty = r.chance(40) ? 65535 : u16_value(r);
    in.params.bonds_moving_average = r.chance(50) ? 900'000 : 1 + r.below(999'999);
    if (yuma3) yuma3_params(r, in.params);
    const bool old_bonds = yuma3 && r.chance(60), heavy = old_bonds && r.chance(20);
    const bool sole_columns = r.chance(20);  // some uids weighted by one validator only
    // Or every validator weights one uid most and one other of its own: that uid alone has a
    // consensus, and its incentive is 1.0.
    const bool one_winner = !sole_columns && r.chance(20);
    const std::size_t winner = r.below(n);
    // Or uids registered lately, after some validators last set weights: §2.4's mask drops
    // those weights, row by row.
    const bool late = r.chance(30);
    // Or some validators name only most uids (and maybe uids past n): still mostly full.
    const bool partial = r.chance(25);
    for (std::size_t i = 0; i < n; ++i) {
      const bool validator = r.below(n) < v;
      const bool staked = validator && !r.chance(10);
      in.stake.push_back(staked ? i64f64::from_int((1'000 + r.below(1'000'000)) * 1'000'000'000) : i64f64{});
      in.registered_at.push_back(late && r.chance(20) ? 9'000 + r.below(1'000) : r.below(5'000));
      in.last_update.push_back(late ? 9'000 + r.below(1'000) : 9'999);
      in.validator_permit.push_back(validator);
      u16_row row;
      if (validator && !r.chance(8)) {
        const bool single = r.chance(3);
        const std::size_t own = r.below(n);
        for (std::size_t j = 0; j < n; ++j) {
          std::uint16_t x = static_cast<std::uint16_t>(r.chance(10) ? 0 : 1 + r.below(65535));
          if (single || (sole_columns && j % 3 == 0 && r.chance(80))) x = 0;
          if (one_winner) x = j == own ? static_cast<std::uint16_t>(1 + r.below(65535)) : 0;
          row.push_back({static_cast<std::uint16_t>(j), x});
        }
        row[one_winner ? winner : r.below(n)].value = 65535;
        if (partial && r.chance(40)) {
          std::erase_if(row, [&](const u16_entry& e) { return e.value != 65535 && r.chance(20); });
          if (r.chance(30)) row.push_back({static_cast<std::uint16_t>(n + r.below(3)), 7});  // ignored
        }
      }
      const bool weighs = !row.empty();
      in.weights.push_back(std::move(row));
      in.bonds.push_back(old_bonds && validator && weighs ? yuma3_bonds(r, n, heavy) : u16_row{});
    }
    if (r.chance(30)) in.owner_uid = static_cast<std::uint16_t>(r.below(n));
    if (late && r.chance(50))  // commit-reveal's mask, by the same rule
      for (std::size_t i = 0; i < n; ++i)
        in.first_commit_block.push_back(r.chance(50) ? std::nullopt : std::optional<std::uint64_t>(8'500 + r.below(1'500)));
    const std::string label = "dense case " + std::to_string(c);
    if (!yuma3) {
      expect_chained(in, label, 3);
      continue;
    }
    for (int step = 0; step < 3 && !::testing::Test::HasFailure(); ++step) {
      expect_same(in, label + " step " + std::to_string(step));
      auto out = oracle::run_epoch(in);
      ASSERT_TRUE(out) << label;
      in.bonds = std::move(out->bonds);
      in.validator_permit = std::move(out->validator_permit);
      for (u16_row& row : in.weights)  // validators change their minds: bonds above weights
        for (u16_entry& e : row)
          if (r.chance(20)) e.value = static_cast<std::uint16_t>(r.below(65536));
    }
  }
}

TEST(EpochOracle, DenseYuma2SubnetsAtTheirEdges) { dense_cases(160, false); }
TEST(EpochOracle, DenseYuma3SubnetsAtTheirEdges) { dense_cases(160, true); }

// The dense path's kernels are compiled for several instruction sets: each must give the same
// bytes. Sets this CPU lacks are skipped.
TEST(EpochOracle, DenseEpochsOnEveryInstructionSet) {
  for (const char* isa : {"base", "avx2", "avx512"}) {
    if (!detail::use_dense_kernels(isa)) continue;
    SCOPED_TRACE(isa);
    dense_cases(60, false);
    dense_cases(60, true);
  }
  ASSERT_TRUE(detail::use_dense_kernels("best"));
}

// The dense path and the compressed-row steps keep different scratch in one workspace, and the
// latter keep lists of what they wrote for the next epoch to clear: epochs of both kinds, of
// every size, alternate on one workspace as a node's subnets would.
TEST(EpochOracle, DenseAndSparseEpochsShareAWorkspace) {
  rng r(99);
  epoch_workspace ws;
  for (int c = 0; c < 150 && !HasFailure(); ++c) {
    if (c % 3 == 0) {
      const std::size_t n = 16 + r.below(c % 2 ? 300 : 60), v = 1 + r.below(std::min<std::size_t>(n, 24));
      epoch_input in = bench_shaped(v, 0);
      add_bench_uids(r, in, n, v, true);
      auto first = oracle::run_epoch(in);
      ASSERT_TRUE(first);
      in.bonds = std::move(first->bonds);  // a second epoch, with bonds
      in.validator_permit = std::move(first->validator_permit);
      expect_same(in, "dense case " + std::to_string(c), &ws);
    } else {
      expect_same(random_input(r, 1 + r.below(c % 5 == 0 ? 400 : 40)), "case " + std::to_string(c), &ws);
    }
  }
}

// check_input leaves the rows the dense path reads whole (weight rows naming every uid, bond
// rows) to that path, which checks them as it reads them: a uid named twice there is still the
// input error it was, naming the row, and rows out of order still give the oracle's outputs.
TEST(EpochOracle, RowsTheDensePathChecksStayChecked) {
  for (int c : {0, 1, 3}) {  // Yuma 2; Yuma 3 with liquid alpha and without
    SCOPED_TRACE(c);
    rng r(8);
    epoch_input base = bench_shaped(48, c);  // a permit for every validator: all rows dense
    add_bench_uids(r, base, 48, 6, true);
    auto first = oracle::run_epoch(base);
    ASSERT_TRUE(first);
    base.bonds = first->bonds;
    base.validator_permit = first->validator_permit;
    std::size_t v = 0;  // a validator with weights and bonds
    while (v < 48 && (base.weights[v].empty() || base.bonds[v].size() < 20)) ++v;
    ASSERT_LT(v, 48u);

    epoch_input in = base;
    in.weights[v][5].uid = in.weights[v][4].uid;  // still 48 entries
    auto out = run_epoch(in);
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().to_string().find("weights row " + std::to_string(v) + " names a uid twice"),
              std::string::npos)
        << out.error().to_string();

    in = base;
    in.bonds[v][2].uid = in.bonds[v][1].uid;
    out = run_epoch(in);
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().to_string().find("bonds row " + std::to_string(v) + " names a uid twice"), std::string::npos)
        << out.error().to_string();

    // A row the dense path does not read (its uid holds no permit) is checked all the same.
    in = base;
    std::size_t idle = 0;
    while (idle < 48 && in.validator_permit[idle]) ++idle;
    ASSERT_LT(idle, 48u);
    in.weights[idle] = in.weights[v];
    in.weights[idle][7].uid = in.weights[idle][6].uid;
    out = run_epoch(in);
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().to_string().find("weights row " + std::to_string(idle) + " names a uid twice"),
              std::string::npos)
        << out.error().to_string();

    in = base;
    std::reverse(in.weights[v].begin(), in.weights[v].end());
    expect_same(in, "weights row out of order");
    in = base;
    std::reverse(in.bonds[v].begin(), in.bonds[v].end());
    expect_same(in, "bonds row out of order");
    // The dense path walks a row naming consecutive uids 16 at a time: a uid named twice
    // inside such a run, and one past n amid the row, taken an entry at a time.
    u16_row consecutive;
    for (std::uint16_t j = 0; j < 48; ++j) consecutive.push_back({j, static_cast<std::uint16_t>(1 + j * 997)});
    in = base;
    in.bonds[v] = consecutive;
    expect_same(in, "consecutive bonds");
    in.bonds[v][5].uid = 4;
    out = run_epoch(in);
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().to_string().find("bonds row " + std::to_string(v) + " names a uid twice"), std::string::npos)
        << out.error().to_string();
    in.bonds[v] = consecutive;
    in.bonds[v].erase(in.bonds[v].begin() + 25);
    in.bonds[v][20].uid = 60;  // past n, amid the row: out of order
    expect_same(in, "a bond past n amid its row");
    expect_same(base, "as stored");
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

TEST(EpochOracle, SaturatedWeightRows) {
  rng r(9);
  for (int c = 0; c < 4 && !HasFailure(); ++c) {
    const std::size_t n = 33'000 + r.below(2'000);
    epoch_input in;
    in.block = 10'000;
    in.params.yuma3 = c % 2 == 1;
    in.params.liquid_alpha = c == 3;
    in.params.max_allowed_validators = 8;
    for (std::size_t i = 0; i < n; ++i) {
      const bool validator = i < 3 + static_cast<std::size_t>(c);
      in.stake.push_back(validator ? i64f64::from_int(1'000 + r.below(1'000'000)) : i64f64{});
      in.registered_at.push_back(r.below(5'000));
      in.last_update.push_back(9'999);
      in.validator_permit.push_back(validator);
      u16_row row;
      if (validator)
        for (std::size_t j = 0; j < n; ++j)
          row.push_back({static_cast<std::uint16_t>(j), static_cast<std::uint16_t>(60'000 + r.below(5'536))});
      in.weights.push_back(std::move(row));
      in.bonds.emplace_back();
    }
    expect_chained(in, "saturated case " + std::to_string(c), 2);
  }
}

// Bench-shaped sparse subnets of thousands of uids, chained through their bonds: most columns
// empty (the fast paths' skipped dividers must not matter, nor what an earlier, larger epoch
// left in the shared workspace), some targets registered since the previous epoch (bonds to
// them dropped), zero and unstaked validators, Yuma 3 with liquid alpha.
TEST(EpochOracle, LargeSparseSubnetsChained) {
  rng r(123);
  epoch_workspace ws;
  for (int c = 0; c < 12 && !HasFailure(); ++c) {
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
