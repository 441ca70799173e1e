#include "random_features.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <cmath>
#include <stdexcept>

namespace synod::plugins {

double splitmix64::normal() noexcept {
  const double u1 = 1.0 - uniform(), u2 = uniform();  // u1 in (0, 1]
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

random_feature_model::random_feature_model(int inputs, int hidden, std::uint64_t seed)
    : inputs_(inputs), hidden_(hidden), w_(inputs, hidden), bias_(static_cast<std::size_t>(hidden)) {
  if (inputs < 1 || hidden < 1) throw std::invalid_argument("a model needs at least one input and one hidden unit");
  splitmix64 rng{seed};
  const double scale = 1.0 / std::sqrt(static_cast<double>(inputs));
  for (auto& w : w_.v) w = static_cast<float>(rng.normal() * scale);
  for (auto& b : bias_) b = static_cast<float>(rng.uniform(-1, 1));
}

matrix random_feature_model::features(const matrix& x) const {
  using dnnl::memory;
  const int rows = x.rows;
  matrix hidden(rows, hidden_);
  if (rows > 0) {
    // One matmul with the bias and a tanh post-op: hidden = tanh(x W + b).
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(eng);
    const memory::desc src_md({rows, inputs_}, memory::data_type::f32, memory::format_tag::ab);
    const memory::desc wei_md({inputs_, hidden_}, memory::data_type::f32, memory::format_tag::ab);
    const memory::desc bias_md({1, hidden_}, memory::data_type::f32, memory::format_tag::ab);
    const memory::desc dst_md({rows, hidden_}, memory::data_type::f32, memory::format_tag::ab);
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_tanh, 0.f, 0.f);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md, wei_md, bias_md, dst_md), attr, eng);
    memory src(src_md, eng, const_cast<float*>(x.v.data()));
    memory wei(wei_md, eng, const_cast<float*>(w_.v.data()));
    memory bias(bias_md, eng, const_cast<float*>(bias_.data()));
    memory dst(dst_md, eng, hidden.v.data());
    dnnl::matmul(pd).execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST, dst}});
    stream.wait();
  }
  matrix f(rows, hidden_ + inputs_ + 1);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < hidden_; ++c) f.at(r, c) = hidden.at(r, c);
    for (int c = 0; c < inputs_; ++c) f.at(r, hidden_ + c) = x.at(r, c);
    f.at(r, hidden_ + inputs_) = 1.f;
  }
  return f;
}

void random_feature_model::fit(const matrix& x, const matrix& targets, double ridge) {
  if (x.cols != inputs_ || targets.rows != x.rows) throw std::invalid_argument("training data of the wrong shape");
  const matrix f = features(x);
  const int n = f.cols, outs = targets.cols;
  // Normal equations (F^T F + ridge I) beta = F^T Y, in double, solved by Cholesky.
  std::vector<double> a(static_cast<std::size_t>(n) * n, 0.0), b(static_cast<std::size_t>(n) * outs, 0.0);
  for (int r = 0; r < f.rows; ++r)
    for (int i = 0; i < n; ++i) {
      const double fi = f.at(r, i);
      for (int j = 0; j <= i; ++j) a[static_cast<std::size_t>(i) * n + j] += fi * f.at(r, j);
      for (int o = 0; o < outs; ++o) b[static_cast<std::size_t>(i) * outs + o] += fi * targets.at(r, o);
    }
  for (int i = 0; i < n; ++i) a[static_cast<std::size_t>(i) * n + i] += ridge;
  for (int i = 0; i < n; ++i)  // lower-triangular L with L L^T = A, in place
    for (int j = 0; j <= i; ++j) {
      double s = a[static_cast<std::size_t>(i) * n + j];
      for (int k = 0; k < j; ++k) s -= a[static_cast<std::size_t>(i) * n + k] * a[static_cast<std::size_t>(j) * n + k];
      a[static_cast<std::size_t>(i) * n + j] = i == j ? std::sqrt(std::max(s, 1e-12)) : s / a[static_cast<std::size_t>(j) * n + j];
    }
  beta_ = matrix(n, outs);
  std::vector<double> y(static_cast<std::size_t>(n));
  for (int o = 0; o < outs; ++o) {
    for (int i = 0; i < n; ++i) {  // L y = b
      double s = b[static_cast<std::size_t>(i) * outs + o];
      for (int k = 0; k < i; ++k) s -= a[static_cast<std::size_t>(i) * n + k] * y[k];
      y[i] = s / a[static_cast<std::size_t>(i) * n + i];
    }
    for (int i = n - 1; i >= 0; --i) {  // L^T beta = y
      double s = y[i];
      for (int k = i + 1; k < n; ++k) s -= a[static_cast<std::size_t>(k) * n + i] * beta_.at(k, o);
      beta_.at(i, o) = static_cast<float>(s / a[static_cast<std::size_t>(i) * n + i]);
    }
  }
}

matrix random_feature_model::predict(const matrix& x) const {
  if (beta_.rows == 0) throw std::logic_error("predict before fit");
  const matrix f = features(x);
  matrix out(x.rows, beta_.cols);
  for (int r = 0; r < x.rows; ++r)
    for (int o = 0; o < beta_.cols; ++o) {
      double s = 0;
      for (int i = 0; i < f.cols; ++i) s += static_cast<double>(f.at(r, i)) * beta_.at(i, o);
      out.at(r, o) = static_cast<float>(s);
    }
  return out;
}

}  // namespace synod::plugins
