// Replays the epoch-scenario golden files in tests/golden/yuma/ (g*: subtensor's epoch tests;
// x*: generated with shared/reference/yuma_emu) and compares every epoch output: the asserted
// values ("expect", with a tolerance only where the file gives one) and the reference model's
// complete outputs ("derived") exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "golden_subnet.hpp"

namespace synod::consensus {
namespace {

using json = nlohmann::json;
using testing::golden_subnet;

json load(const std::string& name) {
  std::ifstream in(std::string(SYNOD_GOLDEN_DIR) + "/yuma/" + name + ".json");
  EXPECT_TRUE(in.good()) << "cannot open " << name;
  return json::parse(in);
}

golden_subnet make_subnet(const json& doc) {
  testing::hyperparam_map hp;
  const json given = doc.value("hyperparams", json::object());  // kept alive for the loop
  for (const auto& [name, value] : given.items())
    hp[name] = value.is_boolean() ? value.get<bool>() : value.get<std::int64_t>();
  std::optional<std::string> owner;
  if (doc.contains("owner_hotkey") && !doc["owner_hotkey"].is_null())
    owner = doc["owner_hotkey"].get<std::string>();
  return golden_subnet(doc.at("max_allowed_uids").get<std::size_t>(), owner,
                       doc.value("epoch_emission", std::uint64_t{1'000'000'000}), hp);
}

// One epoch in the shape the reference runner prints (epoch-scenario-format.md, Output).
json epoch_record(std::size_t step, std::uint64_t block, const golden_subnet& net,
                  const epoch_output& o) {
  return {{"step", step},
          {"block", block},
          {"n", net.size()},
          {"consensus", o.consensus},
          {"incentive", o.incentive},
          {"dividends", o.dividends},
          {"validator_trust", o.validator_trust},
          {"stake_weight", o.stake_weight},
          {"active", o.active},
          {"validator_permit", o.validator_permit},
          {"emission", o.emission},
          {"server_emission", o.server_emission},
          {"validator_emission", o.validator_emission},
          {"bonds", net.dense_bonds()}};
}

// Applies one step; returns the rejection name of a refused call, if any.
std::optional<std::string> apply(golden_subnet& net, const json& s, std::size_t index,
                                 std::vector<json>& epochs) {
  const std::string op = s.at("op");
  const auto block = s.at("block").get<std::uint64_t>();
  if (op == "register") {
    std::optional<std::uint64_t> stake;
    if (s.contains("stake")) stake = s["stake"].get<std::uint64_t>();
    return net.register_neuron(block, s.at("hotkey"), stake);
  }
  if (op == "set_weights")
    return net.set_weights(block, s.at("hotkey"), s.at("uids").get<std::vector<std::uint16_t>>(),
                           s.at("weights").get<std::vector<std::uint16_t>>());
  if (op == "set_stake") {
    net.set_stake(s.at("hotkey"), s.at("stake").get<std::uint64_t>());
  } else if (op == "set_hyperparam") {
    const json& v = s.at("value");
    EXPECT_TRUE(
        net.set_hyperparam(s.at("name"), v.is_boolean() ? v.get<bool>() : v.get<std::int64_t>()))
        << "steps[" << index << "]: unknown hyperparameter";
  } else if (op == "reset_bonds") {
    net.reset_bonds(s.at("hotkey"));
  } else if (op == "epoch") {
    auto out = net.epoch(block);
    EXPECT_TRUE(out.has_value()) << "steps[" << index << "]: " << out.error().to_string();
    if (out) epochs.push_back(epoch_record(index, block, net, *out));
  } else {
    ADD_FAILURE() << "steps[" << index << "]: unsupported op " << op;
  }
  return std::nullopt;
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
  const json doc = load(GetParam());
  golden_subnet net = make_subnet(doc);
  std::vector<json> epochs;
  const json& steps = doc.at("steps");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto rejected = apply(net, steps[i], i, epochs);
    const std::string want = steps[i].value("expect_reject", "");
    EXPECT_EQ(rejected.value_or(""), want) << "steps[" << i << "] (" << steps[i].at("op") << ")";
  }
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
