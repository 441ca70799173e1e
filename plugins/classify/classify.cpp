// classify: a classification subnet. The validator draws a problem (4 classes in 8 dimensions,
// each class a mixture of 3 Gaussian blobs, so the boundaries are not linear), gives miners
// 256 labelled points and 64 unlabelled ones, and keeps the 64 labels hidden. Miners answer
// with a score per class for each point; the validator scores the accuracy of their argmax.
//
// A miner's reference model is a random-feature network (oneDNN) fitted to one-hot targets.
// Options: hidden (model size, default 64), budget (training points used, default all), seed
// (its random layer). aggregate is a soft vote: the miners' class scores summed with their
// standing sharpened (w^4).

#include <algorithm>
#include <cmath>

#include "mixture.hpp"
#include "random_features.hpp"
#include "synod/sdk/payload.hpp"
#include "synod/sdk/plugin.hpp"

namespace {

using namespace synod;
using plugins::matrix;

constexpr std::uint32_t classes = 4, dims = 8, blobs = 3, train_points = 256, query_points = 64;

struct problem {
  std::vector<float> train_x, query_x;
  std::vector<float> train_y, query_y;  // labels as floats (f32s payloads)
};

problem make_problem(std::uint64_t seed) {
  plugins::splitmix64 rng{seed};
  std::vector<double> centre(classes * blobs * dims);
  for (auto& c : centre) c = rng.uniform(-2.5, 2.5);
  auto draw = [&](std::vector<float>& xs, std::vector<float>& ys, std::uint32_t n) {
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto label = static_cast<std::uint32_t>(rng.next() % classes);
      const auto blob = static_cast<std::uint32_t>(rng.next() % blobs);
      for (std::uint32_t d = 0; d < dims; ++d)
        xs.push_back(static_cast<float>(centre[(label * blobs + blob) * dims + d] + 0.9 * rng.normal()));
      ys.push_back(static_cast<float>(label));
    }
  };
  problem p;
  draw(p.train_x, p.train_y, train_points);
  draw(p.query_x, p.query_y, query_points);
  return p;
}

std::uint32_t argmax(const float* scores) {
  return static_cast<std::uint32_t>(std::max_element(scores, scores + classes) - scores);
}

class classify : public sdk::subnet_plugin {
 public:
  explicit classify(const sdk::options& o)
      : hidden_(static_cast<int>(sdk::option_u64(o, "hidden", 64, 1, 2048))),
        budget_(static_cast<std::uint32_t>(sdk::option_u64(o, "budget", train_points, 8, 1u << 20))),
        seed_(sdk::option_u64(o, "seed", 0)) {}

  sdk::manifest manifest() const override {
    return {.name = "classify",
            .version = "1.0.0",
            .description = "label 64 points in 8 dimensions from 256 labelled ones (4 classes)",
            .task_format = "classify.task/1: f32s train_x, f32s train_labels, f32s query_x",
            .answer_format = "classify.answer/1: f32s class scores, 4 per query point",
            .limits = {.max_request_bytes = 256 * 1024, .max_reply_bytes = 16 * 1024, .deadline_ms = 2000}};
  }

  sdk::challenge_data challenge(std::uint64_t seed) override {
    const problem p = make_problem(seed);
    return {sdk::payload_writer().f32s(p.train_x).f32s(p.train_y).f32s(p.query_x).take(),
            sdk::payload_writer().f32s(p.query_y).take()};
  }

  sdk::bytes answer(sdk::byte_span task) override {
    sdk::payload_reader in(task, "task");
    const auto tx = in.f32s(dims * 65536), ty = in.f32s(65536), qx = in.f32s(dims * 65536);
    in.end();
    if (ty.empty() || tx.size() != ty.size() * dims || qx.size() % dims != 0)
      throw sdk::bad_request("task shapes disagree: " + std::to_string(dims) + " values per point");
    for (float v : tx)
      if (!std::isfinite(v)) throw sdk::bad_request("training point holds a value that is not a number");
    for (float v : qx)
      if (!std::isfinite(v)) throw sdk::bad_request("query point holds a value that is not a number");
    const int rows = static_cast<int>(std::min<std::size_t>(ty.size(), budget_));
    matrix x(rows, dims), y(rows, classes);
    for (int r = 0; r < rows; ++r) {
      const float label = ty[static_cast<std::size_t>(r)];
      if (!(label >= 0) || label >= classes || label != std::floor(label))
        throw sdk::bad_request("training label " + std::to_string(label) + " is not a class");
      std::copy_n(tx.begin() + static_cast<std::ptrdiff_t>(r) * dims, dims, x.v.begin() + static_cast<std::ptrdiff_t>(r) * dims);
      y.at(r, static_cast<int>(label)) = 1.f;
    }
    plugins::random_feature_model model(dims, hidden_, seed_);
    model.fit(x, y, 1e-1);
    matrix q(static_cast<int>(qx.size() / dims), dims);
    std::copy(qx.begin(), qx.end(), q.v.begin());
    return sdk::payload_writer().f32s(model.predict(q).v).take();
  }

  double score(sdk::byte_span, sdk::byte_span reference, sdk::byte_span answer) override {
    sdk::payload_reader r(reference, "reference"), a(answer, "answer");
    const auto labels = r.f32s(65536), scores = a.f32s(classes * 65536);
    a.end();
    if (scores.size() != labels.size() * classes)
      throw sdk::bad_request("answer has " + std::to_string(scores.size()) + " class scores, " +
                             std::to_string(labels.size() * classes) + " wanted");
    std::size_t right = 0;
    for (std::size_t i = 0; i < labels.size(); ++i)
      right += argmax(&scores[i * classes]) == static_cast<std::uint32_t>(labels[i]) ? 1 : 0;
    return labels.empty() ? 0.0 : static_cast<double>(right) / static_cast<double>(labels.size());
  }

  bool has_aggregate() const override { return true; }

  // Soft vote: class scores summed (each clamped to [-10, 10]); points must agree in number.
  sdk::bytes aggregate(sdk::byte_span, std::span<const sdk::weighted_answer> answers) override {
    return plugins::sharpened_mixture(answers, 0, classes * 65536, 4.0, 10.f);
  }

 private:
  int hidden_;
  std::uint32_t budget_;
  std::uint64_t seed_;
};

}  // namespace

SYNOD_PLUGIN(classify);
