#pragma once
// The bundled subnets' aggregate: a standing-weighted mean of the miners' answers, each an
// f32s payload, with each weight raised to a power so that the mixture leans on the miners
// that have scored best.

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "synod/sdk/payload.hpp"
#include "synod/sdk/plugin.hpp"

namespace synod::plugins {

/// `values`: the length every answer must have (0: the first counted answer's). Answers that
/// are malformed, of another length, hold a value that is not finite, or carry a negative or
/// non-finite weight are skipped rather than spoil the mixture; each value is clamped to
/// [-limit, limit]. Throws sdk::bad_request when no answer with a positive weight is left.
inline sdk::bytes sharpened_mixture(std::span<const sdk::weighted_answer> answers, std::size_t values,
                                    std::uint32_t max_values, double sharpness, float limit) {
  std::vector<double> sum;
  double total = 0;
  for (const auto& w : answers) {
    if (!(w.weight >= 0) || !std::isfinite(w.weight)) continue;
    std::vector<float> v;
    try {
      sdk::payload_reader a(w.answer, "answer");
      v = a.f32s(max_values);
      a.end();
    } catch (const sdk::bad_request&) {
      continue;  // one miner's malformed answer does not spoil the others'
    }
    if (v.empty() || (values != 0 && v.size() != values)) continue;
    if (!std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); })) continue;
    if (sum.empty()) sum.assign(v.size(), 0.0);
    if (v.size() != sum.size()) continue;
    const double k = std::pow(w.weight, sharpness);
    for (std::size_t i = 0; i < v.size(); ++i) sum[i] += k * std::clamp(v[i], -limit, limit);
    total += k;
  }
  if (!(total > 0)) throw sdk::bad_request("no answer with a positive weight to aggregate");
  std::vector<float> out;
  out.reserve(sum.size());
  for (double s : sum) out.push_back(static_cast<float>(s / total));
  return sdk::payload_writer().f32s(out).take();
}

}  // namespace synod::plugins
