// The bundled subnets (plugins/), through the real plugin host: each is conformant, miners of
// different model size really score differently, and the mixture of several miners
// (aggregate, weighted by their standing) is at least as good as the best single miner on
// tasks none of them was judged on.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "synod/plugin/conformance.hpp"
#include "synod/plugin/plugin.hpp"

namespace synod::plugins::testing {
namespace {

namespace host = synod::plugin;
using host::plugin;

struct subnet_case {
  const char* file;
  std::vector<sdk::options> miners;  // from weakest to strongest, by construction
};

std::shared_ptr<const plugin> load(const char* file, sdk::options o = {}) {
  host::load_options lo;
  lo.options = std::move(o);
  auto p = plugin::load(file, lo);
  if (!p) ADD_FAILURE() << p.error().to_string();
  return p ? *p : nullptr;
}

// Mean score of each miner over tasks [first, first + n).
std::vector<double> mean_scores(const plugin& validator, const std::vector<std::shared_ptr<const plugin>>& miners,
                                std::uint64_t first, std::uint64_t n) {
  std::vector<double> sum(miners.size(), 0.0);
  for (std::uint64_t seed = first; seed < first + n; ++seed) {
    auto c = validator.challenge(seed);
    EXPECT_TRUE(c);
    for (std::size_t m = 0; m < miners.size(); ++m) {
      auto a = miners[m]->answer(c->task);
      auto s = a ? validator.score(c->task, c->reference, *a) : result<double>(a.error());
      EXPECT_TRUE(s) << (s ? "" : s.error().to_string());
      sum[m] += s ? *s : 0.0;
    }
  }
  for (double& s : sum) s /= static_cast<double>(n);
  return sum;
}

class BundledSubnet : public ::testing::TestWithParam<subnet_case> {};

TEST_P(BundledSubnet, PassesTheConformanceSuite) {
  host::conformance_options o;
  o.garbage_inputs = 100;
  auto r = host::check_conformance(GetParam().file, o);
  EXPECT_TRUE(r.passed()) << host::to_text(r);
}

TEST_P(BundledSubnet, MinersOfDifferentSizeScoreDifferently) {
  auto validator = load(GetParam().file);
  std::vector<std::shared_ptr<const plugin>> miners;
  for (const auto& o : GetParam().miners) miners.push_back(load(GetParam().file, o));
  const auto scores = mean_scores(*validator, miners, 100, 12);
  // The weakest configuration is clearly behind the strongest.
  EXPECT_LT(scores.front() + 0.05, scores.back()) << "weakest " << scores.front() << ", strongest " << scores.back();
}

TEST_P(BundledSubnet, TheMixtureIsAtLeastAsGoodAsTheBestMinerOnHeldOutTasks) {
  auto validator = load(GetParam().file);
  std::vector<std::shared_ptr<const plugin>> miners;
  for (const auto& o : GetParam().miners) miners.push_back(load(GetParam().file, o));
  // Standing: each miner's mean score on tasks 1000..1009, as a validator's EMA would hold it.
  const auto standing = mean_scores(*validator, miners, 1000, 10);
  // Held out: tasks 5000..5019, never used for the standing.
  constexpr std::uint64_t first = 5000, n = 20;
  const auto single = mean_scores(*validator, miners, first, n);
  double mixture = 0;
  for (std::uint64_t seed = first; seed < first + n; ++seed) {
    auto c = validator->challenge(seed);
    ASSERT_TRUE(c);
    std::vector<bytes> answers;
    for (const auto& m : miners) answers.push_back(*m->answer(c->task));
    std::vector<sdk::weighted_answer> weighted;
    for (std::size_t m = 0; m < miners.size(); ++m) weighted.push_back({answers[m], standing[m]});
    auto mixed = validator->aggregate(c->task, weighted);
    ASSERT_TRUE(mixed) << mixed.error().to_string();
    mixture += *validator->score(c->task, c->reference, *mixed);
  }
  mixture /= static_cast<double>(n);
  const double best = *std::max_element(single.begin(), single.end());
  std::printf("held-out mean score: mixture %.4f, best single miner %.4f\n", mixture, best);
  EXPECT_GE(mixture, best) << "mixture " << mixture << ", best single miner " << best;
}

INSTANTIATE_TEST_SUITE_P(
    Plugins, BundledSubnet,
    ::testing::Values(
        subnet_case{SYNOD_PLUGIN_FORECAST,
                    {{{"window", "3"}}, {{"window", "8"}, {"seed", "1"}}, {{"window", "16"}, {"seed", "2"}},
                     {{"window", "24"}, {"seed", "3"}}}},
        subnet_case{SYNOD_PLUGIN_CLASSIFY,
                    {{{"hidden", "2"}}, {{"hidden", "16"}, {"seed", "1"}}, {{"hidden", "64"}, {"seed", "2"}},
                     {{"hidden", "96"}, {"seed", "3"}}}}),
    [](const auto& param) { return std::string(param.index == 0 ? "Forecast" : "Classify"); });

}  // namespace
}  // namespace synod::plugins::testing
