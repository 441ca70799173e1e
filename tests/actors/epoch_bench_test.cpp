// The epoch benchmark's machinery on a tiny subnet: it must produce every case with positive
// times (its speed is measured by `synod bench epoch`, never asserted here).

#include "actors/bench/epoch_bench.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace synod::actors {
namespace {

epoch_bench_options tiny() {
  epoch_bench_options o;
  o.neurons = {64};
  o.validators = {8, 128};  // 128 > 64: skipped
  o.repeat = 1;
  return o;
}

void expect_rows(const epoch_bench_result& r) {
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_TRUE(r.rows[0].dense);
  EXPECT_FALSE(r.rows[1].dense);
  for (const auto& row : r.rows) {
    EXPECT_EQ(row.neurons, 64u);
    EXPECT_EQ(row.validators, 8u);
    EXPECT_GT(row.epoch_ms, 0);
    EXPECT_GT(row.plain_ms, 0);
    EXPECT_GT(row.ratio, 0);
    EXPECT_GT(row.empty_ms, 0);
    EXPECT_DOUBLE_EQ(row.floor_ratio, row.empty_ms / row.plain_ms);
    EXPECT_GT(row.bond_entries, 0u);
  }
  EXPECT_EQ(r.rows[0].weight_entries, 8u * 64u);
  EXPECT_EQ(r.rows[1].weight_entries, 8u);  // 1% of 64 rounds down to 0: one per row
}

TEST(EpochBench, MeasuresEveryCaseWithYuma2) { expect_rows(run_epoch_bench(tiny())); }

TEST(EpochBench, MeasuresEveryCaseWithYuma3) {
  auto o = tiny();
  o.yuma3 = true;
  expect_rows(run_epoch_bench(o));
}

TEST(EpochBench, MeasuresEveryCaseWithYuma3AtAFixedRate) {
  auto o = tiny();
  o.yuma3 = true;
  o.liquid_alpha = false;
  expect_rows(run_epoch_bench(o));
}

// Validators that redraw their weights after the warm-up epoch: Yuma 3's bonds above the new
// weights run liquid alpha's exponentials.
TEST(EpochBench, MeasuresRedrawnWeights) {
  auto o = tiny();
  o.yuma3 = true;
  o.redraw = 50;
  expect_rows(run_epoch_bench(o));
  o.redraw = 101;
  EXPECT_THROW(run_epoch_bench(o), std::runtime_error);
}

TEST(EpochBench, RejectsZeroRepeats) {
  auto o = tiny();
  o.repeat = 0;
  EXPECT_THROW(run_epoch_bench(o), std::runtime_error);
}

}  // namespace
}  // namespace synod::actors
