#include "synod/chain/emission.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

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

namespace synod::chain {
namespace {

// tests/golden/yuma/g16: one block's alpha split into owner cut, miners, validators and root.
TEST(CoinbaseSplit, MatchesEveryGoldenCaseExactly) {
  std::ifstream in(std::string(SYNOD_GOLDEN_DIR) + "/yuma/g16_coinbase_split.json");
  ASSERT_TRUE(in) << "missing golden file g16";
  auto doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["cases"].size(), 3u);
  for (const auto& c : doc["cases"]) {
    auto got = split_subnet_emission(c["alpha_out"].get<rao>(),
                                     c["subnet_owner_cut"].get<std::uint16_t>(),
                                     c["root_tao"].get<rao>(), c["tao_weight_u64"].get<std::uint64_t>(),
                                     c["alpha_issuance"].get<rao>(), c["root_sell_flag"].get<bool>());
    const auto& d = c["derived"];
    coinbase_split want{d["pending_owner_cut"].get<rao>(), d["pending_server_emission"].get<rao>(),
                        d["pending_validator_emission"].get<rao>(),
                        d["pending_root_alpha_divs"].get<rao>(), d["recycled_root_alpha"].get<rao>()};
    EXPECT_EQ(got, want) << c["test"];
    const rao tolerance = c["tolerance"].get<rao>();
    for (const auto& [name, value] : c["expect"].items()) {
      rao mine = name == "pending_owner_cut"            ? got.owner_cut
                 : name == "pending_server_emission"    ? got.server
                 : name == "pending_validator_emission" ? got.validator
                                                        : got.root_dividends;
      EXPECT_LE(mine > value.get<rao>() ? mine - value.get<rao>() : value.get<rao>() - mine, tolerance)
          << c["test"] << " " << name;
    }
  }
}

// The split moves every rao somewhere, whatever the inputs.
TEST(CoinbaseSplit, NothingIsLostOrMade) {
  for (rao out : {rao{0}, rao{1}, rao{999'999'999}, rao{1'000'000'000}, rao{21'000'000} * rao_per_tao})
    for (std::uint16_t cut : std::initializer_list<std::uint16_t>{0, 1, 11'796, 65'534, 65'535})
      for (rao root : {rao{0}, rao{7}, rao{1'000'000'000}}) {
        auto s = split_subnet_emission(out, cut, root, ~std::uint64_t{0} / 3, 3'000'000'000, true);
        rao sum = s.owner_cut + s.server + s.validator + s.root_dividends;
        EXPECT_LE(sum, out);
        EXPECT_GE(sum + 3, out) << "more than flooring lost at out " << out << " cut " << cut;
      }
}

}  // namespace
}  // namespace synod::chain
