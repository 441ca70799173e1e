// forecast: a time-series prediction subnet. The validator draws a series (level, trend, three
// seasonal waves, AR(1) noise), shows miners its first 128 points and keeps the next 8 hidden;
// miners predict them; the score falls with the squared error, measured against how hard the
// series is (the mean squared step of its history).
//
// A miner's reference model is a random-feature network (oneDNN) trained on the history's own
// windows and rolled forward 8 steps. Options: window (past values per step, the main size
// knob, default 16), hidden (random features, default 8), budget (training windows, default
// all), seed (its random layer).
// aggregate averages the miners' forecasts, weighting each by its standing sharpened (w^4),
// so the mixture leans on the miners that have scored best.

#include <algorithm>
#include <cmath>

#include "mixture.hpp"
#include "random_features.hpp"
#include "synod/sdk/payload.hpp"
#include "synod/sdk/plugin.hpp"

namespace {

using namespace synod;
using plugins::matrix;

constexpr std::uint32_t history = 128;
constexpr std::uint32_t horizon = 8;

class forecast : public sdk::subnet_plugin {
 public:
  explicit forecast(const sdk::options& o)
      : hidden_(static_cast<int>(sdk::option_u64(o, "hidden", 8, 1, 1024))),
        window_(static_cast<int>(sdk::option_u64(o, "window", 16, 2, 64))),
        budget_(static_cast<int>(sdk::option_u64(o, "budget", 1u << 20, 8, 1u << 20))),
        seed_(sdk::option_u64(o, "seed", 0)) {}

  sdk::manifest manifest() const override {
    return {.name = "forecast",
            .version = "1.0.0",
            .description = "predict the next 8 points of a seasonal series from its last 128",
            .task_format = "forecast.task/1: f32s history",
            .answer_format = "forecast.answer/1: f32s prediction",
            .limits = {.max_request_bytes = 64 * 1024, .max_reply_bytes = 4096, .deadline_ms = 2000}};
  }

  sdk::challenge_data challenge(std::uint64_t seed) override {
    plugins::splitmix64 rng{seed};
    const double level = rng.uniform(-50, 50), trend = rng.uniform(-0.2, 0.2), sigma = rng.uniform(0.05, 0.5);
    double amp[3], period[3], phase[3];
    for (int k = 0; k < 3; ++k) {
      amp[k] = rng.uniform(0.5, 5.0);
      period[k] = rng.uniform(4.0, 40.0);
      phase[k] = rng.uniform(0.0, 6.283185307179586);
    }
    std::vector<float> series(history + horizon);
    double noise = 0;
    for (std::uint32_t t = 0; t < series.size(); ++t) {
      noise = 0.6 * noise + sigma * rng.normal();
      double v = level + trend * t + noise;
      for (int k = 0; k < 3; ++k) v += amp[k] * std::sin(6.283185307179586 * t / period[k] + phase[k]);
      series[t] = static_cast<float>(v);
    }
    const std::span<const float> past(series.data(), history), future(series.data() + history, horizon);
    return {sdk::payload_writer().f32s(past).take(), sdk::payload_writer().f32s(future).take()};
  }

  sdk::bytes answer(sdk::byte_span task) override {
    sdk::payload_reader in(task, "task");
    const auto h = in.f32s(4096);
    in.end();
    if (h.size() < static_cast<std::size_t>(window_) + 8) throw sdk::bad_request("history is too short for the model's window");
    for (float v : h)
      if (!std::isfinite(v) || std::fabs(v) > 1e9f) throw sdk::bad_request("history holds a value that is not a sane number");
    // Work on a normalized copy: subtract the mean, divide by the spread.
    double mean = 0, var = 0;
    for (float v : h) mean += v;
    mean /= static_cast<double>(h.size());
    for (float v : h) var += (v - mean) * (v - mean);
    const double spread = std::sqrt(var / static_cast<double>(h.size())) + 1e-6;
    std::vector<float> z(h.size());
    for (std::size_t i = 0; i < h.size(); ++i) z[i] = static_cast<float>((h[i] - mean) / spread);
    // Training rows: each window of the history and the value after it (the latest `budget`).
    const int all = static_cast<int>(z.size()) - window_;
    const int rows = std::min(all, budget_);
    matrix x(rows, window_), y(rows, 1);
    for (int r = 0; r < rows; ++r) {
      const int start = all - rows + r;
      for (int c = 0; c < window_; ++c) x.at(r, c) = z[static_cast<std::size_t>(start + c)];
      y.at(r, 0) = z[static_cast<std::size_t>(start + window_)];
    }
    plugins::random_feature_model model(window_, hidden_, seed_);
    model.fit(x, y, 1e-2);
    // Roll forward one step at a time, feeding predictions back in.
    std::vector<float> recent(z.end() - window_, z.end()), out;
    for (std::uint32_t step = 0; step < horizon; ++step) {
      matrix q(1, window_);
      std::copy(recent.begin(), recent.end(), q.v.begin());
      const float next = std::clamp(model.predict(q).at(0, 0), -50.f, 50.f);
      out.push_back(static_cast<float>(next * spread + mean));
      recent.erase(recent.begin());
      recent.push_back(next);
    }
    return sdk::payload_writer().f32s(out).take();
  }

  double score(sdk::byte_span task, sdk::byte_span reference, sdk::byte_span answer) override {
    sdk::payload_reader t(task, "task"), r(reference, "reference"), a(answer, "answer");
    const auto h = t.f32s(4096), truth = r.f32s(horizon), prediction = a.f32s(horizon);
    a.end();
    if (prediction.size() != truth.size())
      throw sdk::bad_request("answer has " + std::to_string(prediction.size()) + " values, " +
                             std::to_string(truth.size()) + " wanted");
    // Scale: the mean squared step of the history (what a naive "same as last" forecast errs by).
    double step2 = 1e-9;
    for (std::size_t i = 1; i < h.size(); ++i) step2 += (h[i] - h[i - 1]) * (h[i] - h[i - 1]);
    step2 /= static_cast<double>(std::max<std::size_t>(1, h.size() - 1));
    double mse = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) mse += (prediction[i] - truth[i]) * (prediction[i] - truth[i]);
    mse /= static_cast<double>(truth.size());
    const double s = 1.0 / (1.0 + mse / step2);
    return std::isfinite(s) ? s : 0.0;
  }

  bool has_aggregate() const override { return true; }

  sdk::bytes aggregate(sdk::byte_span, std::span<const sdk::weighted_answer> answers) override {
    return plugins::sharpened_mixture(answers, horizon, horizon, 4.0, 1e9f);
  }

 private:
  int hidden_, window_, budget_;
  std::uint64_t seed_;
};

}  // namespace

SYNOD_PLUGIN(forecast);
