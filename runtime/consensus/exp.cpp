// e^x exactly as substrate-fixed v0.6.0 `transcendental::exp` computes it for I32F32, and
// subtensor's `exp_safe` clamp (subtensor-economics.md §1). Used only by liquid alpha.
#include "synod/consensus/fixed.hpp"

namespace synod::consensus {
namespace {

// The library returns its stored constant for exactly 1: e rounded to 32 fractional bits.
constexpr std::int64_t e_raw = 11674931555;

// 1 + x + x^2/2! + ... + x^31/31!, each term from the previous one by a floored multiply
// and a truncating divide, as the library does for x >= 0.
i32f32 taylor(i32f32 x) noexcept {
  i32f32 result = x + i32f32::one();
  i32f32 term = x;
  for (std::int64_t i = 2; i < 32; ++i) {
    term = safe_div(term * x, i32f32::from_int(i));
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
  return negative ? safe_div(i32f32::one(), r) : r;  // e^-x as 1 / e^x
}

i32f32 exp_safe(i32f32 x) noexcept {
  const i32f32 bound = i32f32::from_int(20);
  if (x > bound) x = bound;
  if (x < i32f32{} - bound) x = i32f32{} - bound;
  return exp(x);
}

}  // namespace synod::consensus
