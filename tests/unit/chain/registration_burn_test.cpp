// Registration burn price against subtensor's own tests (tests/golden/yuma/g15): the Q32
// decay factor per half-life, and the price after every next_block and register action.

#include "synod/chain/registration_burn.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace synod::chain {
namespace {

nlohmann::json golden() {
  std::ifstream in(std::string(SYNOD_GOLDEN_DIR) + "/yuma/g15_registration_burn.json");
  EXPECT_TRUE(in) << "missing golden file g15";
  return nlohmann::json::parse(in);
}

TEST(RegistrationBurn, DecayFactorMatchesEveryHalfLifeOfTheReference) {
  auto doc = golden();
  ASSERT_FALSE(doc["decay_factor_q32"].empty());
  for (const auto& [half_life, factor] : doc["decay_factor_q32"].items())
    EXPECT_EQ(burn_decay_factor_q32(static_cast<std::uint32_t>(std::stoul(half_life))),
              factor.get<std::uint64_t>())
        << "half_life " << half_life;
  EXPECT_EQ(burn_decay_factor_q32(0), std::uint64_t{1} << 32);
}

TEST(RegistrationBurn, EveryGoldenCaseStepByStep) {
  auto doc = golden();
  ASSERT_EQ(doc["cases"].size(), 34u);
  for (const auto& c : doc["cases"]) {
    burn_params p{c["half_life"].get<std::uint32_t>(),
                  c["increase_mult"].get<std::uint64_t>() << 32,
                  c["min_burn"].get<rao>(), c["max_burn"].get<rao>()};
    rao burn = c["initial_burn"].get<rao>();
    std::vector<rao> after;
    for (const auto& a : c["actions"]) {
      int count = a.value("count", 1);
      for (int i = 0; i < count; ++i)
        burn = a["op"] == "register" ? bump_burn(burn, p) : decay_burn(burn, p);
      after.push_back(burn);
    }
    const auto name = c["test"].get<std::string>();
    EXPECT_EQ(after, c["burn_after"].get<std::vector<rao>>()) << name;
    if (c.contains("expect")) {
      for (const auto& [index, value] : c["expect"].items()) {
        EXPECT_EQ(after.at(std::stoul(index)), value.get<rao>()) << name << " action " << index;
      }
    }
  }
}

TEST(RegistrationBurn, ClampsAndNeverOverflows) {
  burn_params p{1, std::uint64_t{1000} << 32, 10, 1'000'000};
  EXPECT_EQ(bump_burn(UINT64_MAX, p), 1'000'000u);
  EXPECT_EQ(decay_burn(0, p), 10u);  // the floor keeps a price from sticking at zero
  burn_params unbounded{0, std::uint64_t{3} << 32, 0, UINT64_MAX};
  EXPECT_EQ(bump_burn(UINT64_MAX / 2, unbounded), UINT64_MAX);
  EXPECT_EQ(decay_burn(777, unbounded), 777u);  // half-life 0: no decay
  burn_params fractional{0, 5'411'658'793, 0, UINT64_MAX};  // 1.26 in Q32
  EXPECT_EQ(bump_burn(1'000'000'000, fractional), 1'260'000'000u);
  EXPECT_EQ(bump_burn(7, burn_params{0, 0, 0, UINT64_MAX}), 7u);  // below 1.0 counts as 1.0
}

}  // namespace
}  // namespace synod::chain
