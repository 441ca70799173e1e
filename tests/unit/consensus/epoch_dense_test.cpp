// The dense path (runtime/consensus/epoch_dense*.cpp) against the oracle: subnets whose
// validators weight every uid, at every edge of its shape and hyperparameters, on every
// instruction set, alternating with sparse epochs on one workspace, and its deferred row checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "consensus/epoch_steps.hpp"
#include "epoch_cases.hpp"

namespace synod::consensus {
namespace {

using namespace cases;

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

// Liquid alpha's scratch for the entries due an exponential is shared by both paths: a dense
// epoch that listed many (validators that redrew their weights, so bonds lie above them)
// leaves it long, and the compressed-row epochs after it on the same workspace, whose rows
// are shorter, must still size every part of it they write.
TEST(EpochOracle, LiquidAlphaScratchPassesBetweenPaths) {
  rng r(41);
  epoch_workspace ws;
  for (int c = 0; c < 12 && !HasFailure(); ++c) {
    const bool dense = c % 2 == 0;
    const std::size_t n = dense ? 96 : 300, v = 8;
    epoch_input in = bench_shaped(v, 1);  // Yuma 3 with liquid alpha
    add_bench_uids(r, in, n, v, dense);
    auto first = oracle::run_epoch(in);
    ASSERT_TRUE(first);
    in.bonds = std::move(first->bonds);
    in.validator_permit = std::move(first->validator_permit);
    for (u16_row& row : in.weights)  // redrawn: bonds above their new weights take the exponential
      for (u16_entry& e : row)
        if (r.chance(50)) e.value = static_cast<std::uint16_t>(1 + r.below(65535));
    expect_same(in, std::string(dense ? "dense" : "sparse") + " case " + std::to_string(c), &ws);
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

}  // namespace
}  // namespace synod::consensus
