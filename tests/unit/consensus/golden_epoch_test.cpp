// Replays the epoch-scenario golden files in tests/golden/yuma/ (g*: subtensor's epoch tests;
// x*: generated with shared/reference/yuma_emu) on the chain's scenario runner
// (synod/chain/scenario.hpp: the chain's own registration, weights and epoch on a memory
// state) and compares every epoch output: the asserted values ("expect", with a tolerance
// only where the file gives one) and the reference model's complete outputs ("derived")
// exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "synod/chain/scenario.hpp"

namespace synod::consensus {
namespace {

using json = nlohmann::json;

std::string read_golden(const std::string& name) {
  std::ifstream in(std::string(SYNOD_GOLDEN_DIR) + "/yuma/" + name + ".json");
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void check_dividend_proportions(const json& got, const json& want, const std::string& where) {
  const double tolerance = want.at("tolerance");
  const json& values = want.at("values");
  auto check = [&](std::size_t uid, double v) {
    const double share = got.at("dividends").at(uid).get<double>() / 65535.0;
    EXPECT_LE(std::fabs(share - v), tolerance) << where << " dividends[" << uid << "]";
  };
  if (values.is_array())
    for (std::size_t uid = 0; uid < values.size(); ++uid) check(uid, values[uid]);
  else
    for (const auto& [uid, v] : values.items()) check(std::stoul(uid), v);
}

void check_field(const json& got, const std::string& field, const json& want,
                 const std::string& where) {
  if (field == "dividends_proportion") return check_dividend_proportions(got, want, where);
  if (want.is_array()) {
    EXPECT_EQ(got.at(field), want) << where << " " << field;
    return;
  }
  for (const auto& [key, v] : want.items()) {
    if (field == "bonds") {
      const auto comma = key.find(',');
      const auto i = std::stoul(key.substr(0, comma)), j = std::stoul(key.substr(comma + 1));
      EXPECT_EQ(got.at("bonds").at(i).at(j), v) << where << " bonds[" << key << "]";
    } else {
      EXPECT_EQ(got.at(field).at(std::stoul(key)), v) << where << " " << field << "[" << key << "]";
    }
  }
}

const json* epoch_at(const std::vector<json>& epochs, std::size_t step) {
  for (const json& e : epochs)
    if (e.at("step") == step) return &e;
  return nullptr;
}

class GoldenEpoch : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenEpoch, MatchesReference) {
  const std::string text = read_golden(GetParam());
  const json doc = json::parse(text);
  auto sc = chain::parse_scenario(text);
  ASSERT_TRUE(sc) << sc.error().to_string();
  // The runner checks every step's expect_reject itself: a different outcome fails the run.
  auto reports = chain::run_scenario(*sc);
  ASSERT_TRUE(reports) << reports.error().to_string();
  const json output = json::parse(chain::scenario_output_json(*reports));
  std::vector<json> epochs(output.at("epochs").begin(), output.at("epochs").end());
  const json expect = doc.value("expect", json::object());  // generated files have none
  for (const auto& [step, fields] : expect.items()) {
    const json* got = epoch_at(epochs, std::stoul(step));
    ASSERT_NE(got, nullptr) << "no epoch output at step " << step;
    for (const auto& [field, want] : fields.items()) check_field(*got, field, want, "step " + step);
  }
  const json& derived = doc.at("derived").at("epochs");
  ASSERT_EQ(epochs.size(), derived.size());
  for (std::size_t k = 0; k < epochs.size(); ++k)
    for (const auto& [field, want] : derived[k].items())
      EXPECT_EQ(epochs[k].at(field), want)
          << "derived epoch at step " << derived[k].at("step") << ", field " << field;
  EXPECT_EQ(output, doc.at("derived"));  // nothing more, nothing less
}

// subtensor's epoch tests, as asserted there and as the reference model computes them.
INSTANTIATE_TEST_SUITE_P(Subtensor, GoldenEpoch,
                         ::testing::Values("g01_test_bonds", "g02_test_active_stake",
                                           "g04_test_zero_weights", "g05_test_10_graph",
                                           "g07_test_yuma_3_kappa_moves_first",
                                           "g08_test_yuma_3_kappa_moves_second",
                                           "g09_test_yuma_3_kappa_moves_last",
                                           "g12_test_yuma_3_stable_miner"),
                         [](const auto& param_info) { return param_info.param; });

// Generated with the reference model for what subtensor's tests leave out: a partial bonds
// penalty, an owner, pruning, rejected calls, Yuma 3 without liquid alpha, a bond reset, and
// random subnets (tests/golden/yuma/x1*, a seed each).
INSTANTIATE_TEST_SUITE_P(Model, GoldenEpoch,
                         ::testing::Values("x01_yuma2_penalty_owner_pruning",
                                           "x02_yuma3_rate_then_liquid_alpha",
                                           "x11_random_yuma2_seed11", "x16_random_yuma2_seed16",
                                           "x13_random_yuma3_liquid_seed13",
                                           "x14_random_yuma3_liquid_seed14",
                                           "x15_random_yuma3_seed15"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace synod::consensus
