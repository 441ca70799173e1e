#include "wide.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace synod::consensus::detail {
namespace {

constexpr i128 i128_max = static_cast<i128>(~u128{0} >> 1);
constexpr i128 i128_min = -i128_max - 1;
constexpr u128 low64(u128 x) noexcept { return static_cast<std::uint64_t>(x); }

// Trailing zero bits of x; 128 for 0.
int ctz128(u128 x) noexcept {
  const auto lo = static_cast<std::uint64_t>(x), hi = static_cast<std::uint64_t>(x >> 64);
  if (lo != 0) return std::countr_zero(lo);
  return hi != 0 ? 64 + std::countr_zero(hi) : 128;
}

// A magnitude with a sign, clamped to i128 (the negative side reaches one further).
i128 signed_saturate(u256 m, bool negative) noexcept {
  constexpr u128 pos_limit = static_cast<u128>(i128_max);
  if (m.hi != 0 || m.lo > pos_limit + (negative ? 1 : 0)) return negative ? i128_min : i128_max;
  return negative ? static_cast<i128>(u128{0} - m.lo) : static_cast<i128>(m.lo);
}

}  // namespace

u256 mul_wide(u128 a, u128 b) noexcept {
  u128 a0 = low64(a), a1 = a >> 64, b0 = low64(b), b1 = b >> 64;
  u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  u128 mid = (p00 >> 64) + low64(p01) + low64(p10);  // < 3 * 2^64, no overflow
  return {p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64), (mid << 64) | low64(p00)};
}

u256 shift_right(u256 x, int s) noexcept { return {x.hi >> s, (x.lo >> s) | (x.hi << (128 - s))}; }

u256 shift_left(u128 x, int s) noexcept { return {x >> (128 - s), x << s}; }

bool low_bits_set(u256 x, int s) noexcept { return (x.lo & ((u128{1} << s) - 1)) != 0; }

std::optional<u128> div_wide(u256 n, u128 d) noexcept {
  if (n.hi >= d) return std::nullopt;  // the quotient needs more than 128 bits
  if (n.hi == 0) return n.lo / d;       // the common case, in hardware
  u128 r = n.hi, q = 0;
  for (int i = 127; i >= 0; --i) {
    bool carry = (r >> 127) != 0;  // r << 1 would lose this bit; then r + 2^128 >= d surely
    r = (r << 1) | ((n.lo >> i) & 1);
    q <<= 1;
    if (carry || r >= d) {
      r -= d;
      q |= 1;
    }
  }
  return q;
}

std::int64_t proportion_of(u128 s, u128 t) noexcept {
  if (s == t) return std::int64_t{1} << 32;
  // Trailing zero bits common to both leave the quotient as it is. Stakes of whole rao are
  // multiples of 2^64, so the divisor usually fits 64 bits after the shift, and then s << 32
  // fits 128: one native division instead of 32 steps of long division.
  const int z = std::min(ctz128(s), ctz128(t));
  if (z < 128 && (t >> z) >> 64 == 0) {
    const auto low = static_cast<std::uint64_t>(s >> z), d = static_cast<std::uint64_t>(t >> z);
    if (low >> 32 < d) return static_cast<std::int64_t>(divide_128_by_64(low >> 32, low << 32, d).quotient);
    return static_cast<std::int64_t>((static_cast<u128>(low) << 32) / d);  // s > t: outside the contract
  }
  std::int64_t q = 0;  // s < t from here: each step's remainder stays below t < 2^127
  for (int bit = 0; bit < 32; ++bit) {
    s <<= 1;
    q <<= 1;
    if (s >= t) {
      s -= t;
      q |= 1;
    }
  }
  return q;
}

i128 mul_floor(i128 a, i128 b, int frac) noexcept {
  bool negative = (a < 0) != (b < 0);
  u256 p = mul_wide(magnitude(a), magnitude(b));
  u256 q = shift_right(p, frac);
  // An arithmetic shift of a negative product rounds toward -inf: one more in magnitude.
  if (negative && low_bits_set(p, frac)) {
    q.lo += 1;
    if (q.lo == 0) q.hi += 1;
  }
  return signed_saturate(q, negative);
}

i128 div_trunc(i128 a, i128 b, int frac) noexcept {
  if (b == 0) return 0;
  bool negative = (a < 0) != (b < 0);
  auto q = div_wide(shift_left(magnitude(a), frac), magnitude(b));
  if (!q) return 0;
  constexpr u128 pos_limit = static_cast<u128>(i128_max);
  if (*q > pos_limit + (negative ? 1 : 0)) return 0;  // SafeDiv: overflow gives 0
  return negative ? static_cast<i128>(u128{0} - *q) : static_cast<i128>(*q);
}

i128 add_sat(i128 a, i128 b) noexcept {
  i128 r;
  if (__builtin_add_overflow(a, b, &r)) return a < 0 ? i128_min : i128_max;
  return r;
}

i128 sub_sat(i128 a, i128 b) noexcept {
  i128 r;
  if (__builtin_sub_overflow(a, b, &r)) return a < 0 ? i128_min : i128_max;
  return r;
}

}  // namespace synod::consensus::detail
