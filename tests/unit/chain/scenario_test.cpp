// The epoch scenario runner (synod/chain/scenario.hpp): what a bad file says, how rejections
// are matched, commit-reveal and registration into a full subnet. The golden files
// (tests/unit/consensus/golden_epoch_test.cpp) check the epochs' numbers.

#include <gtest/gtest.h>

#include "synod/chain/errc.hpp"
#include "synod/chain/scenario.hpp"

namespace synod::chain {
namespace {

// The message of parsing `text`, which must fail with bad_file.
std::string parse_error(const std::string& text) {
  auto sc = parse_scenario(text);
  EXPECT_FALSE(sc) << text;
  if (sc) return {};
  EXPECT_TRUE(sc.error().is(scenario_errc::bad_file)) << sc.error().to_string();
  return sc.error().message();
}

std::string with_steps(const std::string& steps, const std::string& hp = "{}") {
  return R"({"max_allowed_uids": 4, "hyperparams": )" + hp + R"(, "steps": [)" + steps + "]}";
}

result<std::vector<epoch_report>> run_text(const std::string& text) {
  auto sc = parse_scenario(text);
  EXPECT_TRUE(sc) << sc.error().to_string();
  if (!sc) return std::move(sc).error();
  return run_scenario(*sc);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(Scenario, IgnoresOnlyTheGoldenAnnotations) {
  EXPECT_TRUE(parse_scenario(R"({"max_allowed_uids": 2, "steps": [], "source": "x", "about": 1,
                                 "notes": [], "expect": {}, "derived": {}})"));
  EXPECT_EQ(parse_error(R"({"max_allowed_uids": 2, "steps": [], "sauce": 1})"),
            "sauce: unknown field");
  EXPECT_EQ(parse_error(R"({"max_allowed_uids": 2})"), "steps: missing");
  EXPECT_TRUE(starts_with(parse_error("{\"steps\": ["), "$: not valid JSON"));
}

TEST(Scenario, NamesThePathOfABadField) {
  const std::string reg = R"({"block": 1, "op": "register", "hotkey": "a"})";
  EXPECT_TRUE(starts_with(
      parse_error(with_steps(reg + R"(, {"block": 2, "op": "set_weights", "hotkey": "a",
                                         "uids": 3, "weights": [1]})")),
      "steps[1].uids: expected an array of integers"));
  EXPECT_TRUE(starts_with(
      parse_error(with_steps(R"({"block": 2, "op": "set_weights", "hotkey": "a",
                                 "uids": [0, 70000], "weights": [1, 2]})")),
      "steps[0].uids[1]: expected an integer in [0, 65535]"));
  EXPECT_EQ(parse_error(with_steps(R"({"block": 2, "op": "epoch"}, {"block": 1, "op": "epoch"})")),
            "steps[1].block: block 1 is before the previous step's block 2");
  EXPECT_EQ(parse_error(with_steps(R"({"block": 1, "op": "fly"})")),
            "steps[0].op: unknown op \"fly\"");
  EXPECT_EQ(parse_error(with_steps(R"({"block": 1, "op": "epoch", "hotkey": "a"})")),
            "steps[0].hotkey: unknown field for op \"epoch\"");
  EXPECT_EQ(parse_error(with_steps(R"({"block": 1, "op": "set_stake", "hotkey": "a"})")),
            "steps[0].stake: missing");
  EXPECT_EQ(parse_error(with_steps(reg.substr(0, reg.size() - 1) +
                                   R"(, "expect_reject": "Nope"})")),
            "steps[0].expect_reject: unknown rejection name \"Nope\"");
  EXPECT_TRUE(starts_with(parse_error(with_steps("", R"({"yuma3": 1})")),
                          "hyperparams.yuma3: expected true or false"));
  EXPECT_EQ(parse_error(with_steps("", R"({"rho": 10})")),
            "hyperparams.rho: unknown hyperparameter \"rho\"");
  EXPECT_EQ(parse_error(with_steps(R"({"block": 1, "op": "set_hyperparam", "name": "kappa",
                                       "value": 70000})")),
            "steps[0].value: kappa 70000 is out of range [0, 65535]");
}

TEST(Scenario, RejectionsStopTheRunUnlessExpected) {
  const std::string twice = R"({"block": 1, "op": "register", "hotkey": "a"},
                               {"block": 1, "op": "register", "hotkey": "a")";
  auto r = run_text(with_steps(twice + "}"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::hotkey_in_subnet)) << r.error().to_string();
  EXPECT_EQ(r.error().message(), "steps[1] (register): hotkey \"a\" already has uid 0 in subnet 1");
  // Either the chain's name or subtensor's.
  EXPECT_TRUE(run_text(with_steps(twice + R"(, "expect_reject": "hotkey_in_subnet"})")));
  EXPECT_TRUE(
      run_text(with_steps(twice + R"(, "expect_reject": "HotKeyAlreadyRegisteredInSubNet"})")));
  r = run_text(with_steps(twice + R"(, "expect_reject": "no_uid_available"})"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::hotkey_in_subnet));
  r = run_text(with_steps(R"({"block": 1, "op": "register", "hotkey": "a",
                              "expect_reject": "no_uid_available"})"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(scenario_errc::unexpected_pass)) << r.error().to_string();
}

TEST(Scenario, CommitThenRevealInTheNextEpoch) {
  const std::string weights = R"("hotkey": "v", "uids": [1], "weights": [65535])";
  auto r = run_text(with_steps(
      R"({"block": 1, "op": "register", "hotkey": "v", "stake": 1000},
         {"block": 1, "op": "register", "hotkey": "m"},
         {"block": 1, "op": "epoch"},
         {"block": 2, "op": "set_weights", )" + weights + R"(, "expect_reject": "commit_reveal_enabled"},
         {"block": 2, "op": "commit_weights", )" + weights + R"(, "salt": "pepper"},
         {"block": 2, "op": "reveal_weights", )" + weights + R"(, "salt": "pepper",
          "expect_reject": "reveal_too_early"},
         {"block": 2, "op": "epoch"},
         {"block": 3, "op": "reveal_weights", )" + weights + R"(, "salt": "salt",
          "expect_reject": "reveal_mismatch"},
         {"block": 3, "op": "reveal_weights", )" + weights + R"(, "salt": "pepper"},
         {"block": 3, "op": "epoch"})",
      R"({"commit_reveal": true})"));
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].out.incentive, (std::vector<std::uint16_t>{0, 0}));
  EXPECT_EQ((*r)[2].step, 9u);
  EXPECT_EQ((*r)[2].out.incentive, (std::vector<std::uint16_t>{0, 65535}));
  EXPECT_EQ((*r)[2].out.dividends, (std::vector<std::uint16_t>{65535, 0}));
}

TEST(Scenario, RegistrationIntoAFullSubnetReplacesThePrunedUid) {
  auto r = run_text(R"({"max_allowed_uids": 2, "owner_hotkey": "o", "steps": [
      {"block": 1, "op": "register", "hotkey": "o", "stake": 10},
      {"block": 1, "op": "register", "hotkey": "a", "stake": 5},
      {"block": 1, "op": "epoch"},
      {"block": 2, "op": "register", "hotkey": "b"},
      {"block": 2, "op": "epoch"}]})");
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 2u);
  // The owner hotkey is never pruned, so "b" takes uid 1 from "a".
  EXPECT_EQ((*r)[1].hotkeys, (std::vector<std::string>{"o", "b"}));
  EXPECT_EQ((*r)[1].n, 2u);
}

TEST(Scenario, OutputHasTheFormatsFieldsInOrder) {
  auto r = run_text(with_steps(R"({"block": 1, "op": "register", "hotkey": "a", "stake": 1},
                                  {"block": 1, "op": "epoch"})"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(scenario_output_json(*r),
            "{\"epochs\": [\n"
            "  {\"step\": 1,\n   \"block\": 1,\n   \"n\": 1,\n   \"consensus\": [0],\n"
            "   \"incentive\": [0],\n   \"dividends\": [0],\n   \"validator_trust\": [0],\n"
            "   \"stake_weight\": [65535],\n   \"active\": [true],\n"
            "   \"validator_permit\": [true],\n   \"emission\": [1000000000],\n"
            "   \"server_emission\": [0],\n   \"validator_emission\": [1000000000],\n"
            "   \"bonds\": [[0]]}\n]}\n");
  EXPECT_EQ(scenario_output_json({}), "{\"epochs\": []}\n");
}

}  // namespace
}  // namespace synod::chain
