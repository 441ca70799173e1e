// subnet_template: a complete subnet in one file, to copy and change. The task is a small
// regression: the validator draws points near a hidden line and asks for its value at a few
// new x; a miner fits a line by least squares; the score falls with the squared error; the
// mixture of miners is their answers averaged by standing.
//
// Replace the four calls with your subnet's task; keep them deterministic for their input.

#include <cmath>
#include <cstdint>
#include <vector>

#include "synod/sdk/payload.hpp"
#include "synod/sdk/plugin.hpp"

namespace {

using namespace synod;

constexpr std::uint32_t train_points = 32;
constexpr std::uint32_t query_points = 8;

// A portable generator: the same seed gives the same task on every machine (the standard
// library's distributions differ between implementations, so none is used).
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform(double lo, double hi) {  // [lo, hi)
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
};

class subnet_template : public sdk::subnet_plugin {
 public:
  sdk::manifest manifest() const override {
    return {.name = "subnet_template",
            .version = "0.1.0",
            .description = "predict a noisy line at new points (least squares)",
            .task_format = "subnet_template.task/1: f64s x, f64s y, f64s query",
            .answer_format = "subnet_template.answer/1: f64s prediction",
            .limits = {.max_request_bytes = 64 * 1024, .max_reply_bytes = 4096, .deadline_ms = 100}};
  }

  sdk::challenge_data challenge(std::uint64_t seed) override {
    splitmix64 rng{seed};
    const double slope = rng.uniform(-5, 5), intercept = rng.uniform(-10, 10);
    std::vector<double> x(train_points), y(train_points), query(query_points), truth(query_points);
    for (std::uint32_t i = 0; i < train_points; ++i) {
      x[i] = rng.uniform(-10, 10);
      y[i] = slope * x[i] + intercept + rng.uniform(-1, 1);  // the noise miners must see through
    }
    for (std::uint32_t i = 0; i < query_points; ++i) {
      query[i] = rng.uniform(-10, 10);
      truth[i] = slope * query[i] + intercept;
    }
    return {sdk::payload_writer().f64s(x).f64s(y).f64s(query).take(),
            sdk::payload_writer().f64s(truth).take()};
  }

  sdk::bytes answer(sdk::byte_span task) override {
    sdk::payload_reader in(task, "task");
    const auto x = in.f64s(1024), y = in.f64s(1024), query = in.f64s(1024);
    in.end();
    if (x.size() != y.size() || x.size() < 2) throw sdk::bad_request("task needs as many x as y, at least 2");
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= static_cast<double>(x.size());
    my /= static_cast<double>(x.size());
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
    const double slope = sxx > 0 ? sxy / sxx : 0, intercept = my - slope * mx;
    std::vector<double> prediction;
    for (double q : query) prediction.push_back(slope * q + intercept);
    return sdk::payload_writer().f64s(prediction).take();
  }

  double score(sdk::byte_span, sdk::byte_span reference, sdk::byte_span answer) override {
    sdk::payload_reader r(reference, "reference"), a(answer, "answer");
    const auto truth = r.f64s(query_points), prediction = a.f64s(query_points);
    a.end();
    if (prediction.size() != truth.size())
      throw sdk::bad_request("answer has " + std::to_string(prediction.size()) + " predictions, the task " +
                             std::to_string(truth.size()));
    double mse = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) mse += (prediction[i] - truth[i]) * (prediction[i] - truth[i]);
    mse /= static_cast<double>(truth.size());
    return std::isfinite(mse) ? 1.0 / (1.0 + mse) : 0.0;
  }

  bool has_aggregate() const override { return true; }

  // The mixture of experts: each prediction averaged with the miners' weights.
  sdk::bytes aggregate(sdk::byte_span, std::span<const sdk::weighted_answer> answers) override {
    std::vector<double> sum;
    double total = 0;
    for (const auto& w : answers) {
      sdk::payload_reader a(w.answer, "answer");
      const auto p = a.f64s(query_points);
      a.end();
      if (sum.empty()) sum.assign(p.size(), 0.0);
      if (p.size() != sum.size()) throw sdk::bad_request("answers disagree on the number of predictions");
      if (!(w.weight >= 0)) throw sdk::bad_request("weights must be at least 0");
      for (std::size_t i = 0; i < p.size(); ++i) sum[i] += w.weight * p[i];
      total += w.weight;
    }
    if (sum.empty() || total <= 0) throw sdk::bad_request("nothing to aggregate");
    for (double& s : sum) s /= total;
    return sdk::payload_writer().f64s(sum).take();
  }
};

}  // namespace

SYNOD_PLUGIN(subnet_template);
