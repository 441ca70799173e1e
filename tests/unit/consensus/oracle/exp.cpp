// e^x exactly as substrate-fixed v0.6.0 `transcendental::exp` computes it for I32F32, and
// subtensor's `exp_safe` clamp (subtensor-economics.md §1). Used only by liquid alpha.
#include <algorithm>
#include <array>
#include <span>
#include <utility>

#include "csr.hpp"
#include "oracle.hpp"
#include "synod/consensus/fixed.hpp"

namespace synod::consensus::oracle {
namespace {

// The library returns its stored constant for exactly 1: e rounded to 32 fractional bits.
constexpr std::int64_t e_raw = 11674931555;

// 1 + x + x^2/2! + ... + x^31/31!, each term from the previous one by a floored multiply
// and a truncating divide, as the library does for x >= 0. The divide by the integer i is
// exactly floor(term * x / i) (both are non-negative), done by multiplication; once a term floors
// to 0 every later term is 0, so the series stops there with the same sum.
// The series' divisors 2..31, each as a divider.
const std::array<detail::divider, 32>& series_divisors() noexcept {
  static const auto by = [] {
    std::array<detail::divider, 32> d{};
    for (std::size_t k = 2; k < d.size(); ++k)
      d[k] = detail::divider(i32f32::from_int(static_cast<std::int64_t>(k)));
    return d;
  }();
  return by;
}

i32f32 taylor(i32f32 x) noexcept {
  const auto& by = series_divisors();
  i32f32 result = x + i32f32::one();
  i32f32 term = x;
  for (std::size_t i = 2; i < 32 && term != i32f32{}; ++i) {
    term = by[i].div(term * x);
    result = result + term;
  }
  return result;
}

}  // namespace

i32f32 exp(i32f32 x) noexcept {
  if (x == i32f32{}) return i32f32::one();
  bool negative = x < i32f32{};
  i32f32 m = negative ? i32f32{} - x : x;
  i32f32 r = m == i32f32::one() ? i32f32::from_raw(e_raw) : taylor(m);
  return negative ? detail::one_over(r) : r;  // e^-x as 1 / e^x
}

namespace {

// Term I of eight series: term * m floored, then divided by the constant I (the terms and m are
// non-negative, so the truncating safe_div is floor, and the compiler divides by multiplying).
// Returns whether any lane's term is still non-zero. With m <= 20 (exp_safe's clamp) nothing
// saturates: every term and partial sum is at most e^20 < 2^29, and term * m at most
// max_k 20^k / (k-1)! < 8.7e8 < 2^31, so the I32F32 operations are plain integer ones here.
template <std::size_t I, std::size_t N>
bool series_term(std::array<std::uint64_t, N>& term, std::array<std::uint64_t, N>& sum,
                 const std::array<std::uint64_t, N>& m) noexcept {
  std::uint64_t any = 0;
  for (std::size_t l = 0; l < N; ++l) {
    term[l] = static_cast<std::uint64_t>((static_cast<u128>(term[l]) * m[l]) >> 32) / I;
    sum[l] += term[l];
    any |= term[l];
  }
  return any != 0;
}

// Terms 2..31, stopping after the first one where every lane reached 0.
template <std::size_t N, std::size_t... I>
void series_terms(std::array<std::uint64_t, N>& term, std::array<std::uint64_t, N>& sum,
                  const std::array<std::uint64_t, N>& m, std::index_sequence<I...>) noexcept {
  (void)(series_term<I + 2>(term, sum, m) && ...);
}

}  // namespace

namespace detail {

void exp_safe_all(std::span<i32f32> xs) noexcept {
  // Eight series side by side: each is a chain of dependent multiplies, so one at a time the
  // core mostly waits; interleaved they overlap. A lane whose term reached 0 adds only zeros.
  constexpr std::size_t lanes = 8;
  const i32f32 bound = i32f32::from_int(20), one = i32f32::one();
  for (std::size_t c = 0; c < xs.size(); c += lanes) {
    const std::size_t l_end = std::min(lanes, xs.size() - c);
    std::array<std::uint64_t, lanes> m{}, term{}, sum{};
    for (std::size_t l = 0; l < l_end; ++l) {
      const i32f32 x = std::clamp(xs[c + l], i32f32{} - bound, bound);
      m[l] = static_cast<std::uint64_t>((x < i32f32{} ? i32f32{} - x : x).raw());
      term[l] = m[l];
      sum[l] = m[l] + static_cast<std::uint64_t>(one.raw());
    }
    series_terms(term, sum, m, std::make_index_sequence<30>{});
    for (std::size_t l = 0; l < l_end; ++l) {
      const bool negative = xs[c + l] < i32f32{};
      const i32f32 r = m[l] == static_cast<std::uint64_t>(one.raw())
                           ? i32f32::from_raw(e_raw)
                           : i32f32::from_raw(static_cast<std::int64_t>(sum[l]));  // x == 0: one
      xs[c + l] = negative ? one_over(r) : r;
    }
  }
}

}  // namespace detail

i32f32 exp_safe(i32f32 x) noexcept {
  const i32f32 bound = i32f32::from_int(20);
  if (x > bound) x = bound;
  if (x < i32f32{} - bound) x = i32f32{} - bound;
  return oracle::exp(x);
}

}  // namespace synod::consensus::oracle
