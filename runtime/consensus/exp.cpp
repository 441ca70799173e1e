// e^x exactly as substrate-fixed v0.6.0 `transcendental::exp` computes it for I32F32, and
// subtensor's `exp_safe` clamp (subtensor-economics.md §1). Used only by liquid alpha.
#include <array>

#include "csr.hpp"
#include "synod/consensus/fixed.hpp"

namespace synod::consensus {
namespace {

// The library returns its stored constant for exactly 1: e rounded to 32 fractional bits.
constexpr std::int64_t e_raw = 11674931555;

// 1 + x + x^2/2! + ... + x^31/31!, each term from the previous one by a floored multiply
// and a truncating divide, as the library does for x >= 0. The divide by the integer i is
// exactly floor(term * x / i) (both are non-negative), done by multiplication; once a term floors
// to 0 every later term is 0, so the series stops there with the same sum.
i32f32 taylor(i32f32 x) noexcept {
  static const auto by = [] {
    std::array<detail::divider, 32> d{};
    for (std::size_t i = 2; i < d.size(); ++i) d[i] = detail::divider(i32f32::from_int(static_cast<std::int64_t>(i)));
    return d;
  }();
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

i32f32 exp_safe(i32f32 x) noexcept {
  const i32f32 bound = i32f32::from_int(20);
  if (x > bound) x = bound;
  if (x < i32f32{} - bound) x = i32f32{} - bound;
  return exp(x);
}

}  // namespace synod::consensus
