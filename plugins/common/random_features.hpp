#pragma once
// The miners' reference model of the bundled subnets: a random-feature network. Inputs go
// through one fixed random layer, tanh(x W + b), run on oneDNN (a matmul primitive with a
// tanh post-op); the output layer is fitted in closed form by ridge regression over the
// features and the raw inputs. `hidden` (model size) and the number of training rows
// (training budget) are the miner's choice, so miners of different size answer differently.
//
// Deterministic for its inputs and seed on one machine (the plugins' conformance suite
// checks it). Built against the SDK and oneDNN only, like an outside author's plugin.

#include <cstdint>
#include <vector>

namespace synod::plugins {

/// splitmix64: a portable generator, so a seed makes the same task on every machine.
struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  double normal() noexcept;  // Box-Muller
};

/// Row-major matrix of floats.
struct matrix {
  int rows = 0, cols = 0;
  std::vector<float> v;
  matrix() = default;
  matrix(int r, int c) : rows(r), cols(c), v(static_cast<std::size_t>(r) * static_cast<std::size_t>(c), 0.f) {}
  float& at(int r, int c) { return v[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + c]; }
  float at(int r, int c) const { return v[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + c]; }
};

class random_feature_model {
 public:
  /// `hidden` random tanh features of `inputs` values, drawn from `seed`.
  random_feature_model(int inputs, int hidden, std::uint64_t seed);

  /// Fits the output layer to `targets` (rows x outputs) by ridge regression.
  void fit(const matrix& x, const matrix& targets, double ridge);
  /// rows x outputs.
  [[nodiscard]] matrix predict(const matrix& x) const;

 private:
  /// [tanh(x W + b), x, 1]: rows x (hidden + inputs + 1). The tanh layer runs on oneDNN.
  [[nodiscard]] matrix features(const matrix& x) const;

  int inputs_, hidden_;
  matrix w_;                 // inputs x hidden
  std::vector<float> bias_;  // hidden
  matrix beta_;              // features x outputs
};

}  // namespace synod::plugins
