#include "synod/chain/emission.hpp"

#include <gtest/gtest.h>

namespace synod::chain {
namespace {

constexpr rao tao = rao_per_tao;

TEST(BlockEmission, OneTaoUntilTheFirstHalving) {
  EXPECT_EQ(block_emission(0), tao);
  EXPECT_EQ(block_emission(10'500'000 * tao - 1), tao);
}

TEST(BlockEmission, HalvesExactlyAtEachSupplyThreshold) {
  // 21 M * (1 - 2^-k): the k-th halving.
  const rao thresholds[] = {10'500'000 * tao, 15'750'000 * tao, 18'375'000 * tao,
                            19'687'500 * tao, 20'343'750 * tao};
  rao expected = tao;
  for (rao t : thresholds) {
    EXPECT_EQ(block_emission(t - 1), expected) << format_tao(t);
    expected /= 2;
    EXPECT_EQ(block_emission(t), expected) << format_tao(t);
  }
}

TEST(BlockEmission, NeverMintsPastTheCap) {
  EXPECT_EQ(block_emission(max_supply), 0u);
  EXPECT_EQ(block_emission(max_supply + 1), 0u);
  for (rao left : {rao{1}, rao{2}, rao{3}, rao{1000}}) {
    rao e = block_emission(max_supply - left);
    EXPECT_LE(e, left);
  }
  // The last era mints 1 rao a block; after 30 halvings emission is 0 for good, just short of
  // the cap (where 1 / (1 - I/21e15) reaches 2^30 in I96F32).
  rao issuance = max_supply - 20'000'000;
  EXPECT_EQ(block_emission(issuance), 1u);
  int blocks = 0;
  for (; blocks < 1'000'000 && block_emission(issuance) > 0; ++blocks) issuance += block_emission(issuance);
  EXPECT_GT(blocks, 0);
  EXPECT_EQ(block_emission(issuance), 0u);
  EXPECT_LT(issuance, max_supply);
  EXPECT_GT(issuance, max_supply - 20'000'000);
}

TEST(BlockEmission, IsMonotoneNonIncreasing) {
  rao last = block_emission(0);
  for (rao i = 0; i <= max_supply; i += max_supply / 4096) {
    rao e = block_emission(i);
    EXPECT_LE(e, last) << format_tao(i);
    last = e;
  }
}

}  // namespace
}  // namespace synod::chain
