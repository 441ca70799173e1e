#pragma once
// 256-bit helpers for the 128-bit fixed types: a product of two 128-bit raws, and a 256-by-128
// division, both on magnitudes. Internal to the component.

#include <cstdint>
#include <optional>

#include "synod/base/int128.hpp"

namespace synod::consensus::detail {

struct u256 {
  u128 hi = 0;
  u128 lo = 0;
};

/// Full product a * b.
u256 mul_wide(u128 a, u128 b) noexcept;
/// x >> s for 0 < s < 128.
u256 shift_right(u256 x, int s) noexcept;
/// x << s for 0 < s < 128 where x < 2^128.
u256 shift_left(u128 x, int s) noexcept;
/// True when any of the low `s` bits of x is set (0 < s < 128).
bool low_bits_set(u256 x, int s) noexcept;
/// floor(n / d) when it fits 128 bits; nullopt when it does not. Precondition: d != 0.
std::optional<u128> div_wide(u256 n, u128 d) noexcept;

/// floor((hi * 2^64 + lo) / d) and the remainder, for hi < d (the quotient fits 64 bits): one
/// hardware division on x86-64, where the library's 128-bit one took several times as long.
struct quotient64 {
  std::uint64_t quotient, remainder;
};
inline quotient64 divide_128_by_64(std::uint64_t hi, std::uint64_t lo, std::uint64_t d) noexcept {
#if defined(__x86_64__)
  std::uint64_t q = 0, r = 0;
  asm("divq %[d]" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), [d] "r"(d) : "cc");
  return {q, r};
#else
  const u128 n = (static_cast<u128>(hi) << 64) | lo;
  return {static_cast<std::uint64_t>(n / d), static_cast<std::uint64_t>(n % d)};
#endif
}

/// |x| as an unsigned value (well defined for the minimum).
inline u128 magnitude(i128 x) noexcept {
  return x < 0 ? u128{0} - static_cast<u128>(x) : static_cast<u128>(x);
}

/// floor(s * 2^32 / t) for 0 <= s <= t, t > 0: safe_div(s, t).to_i32f32() of two I64F64 raws
/// (the floor of a floor is the floor of the whole quotient). At most 2^32, so 33 steps of
/// long division instead of the 128 of a general 256-by-128-bit one.
std::int64_t proportion_of(u128 s, u128 t) noexcept;
/// floor(a * b / 2^frac), saturating at the i128 bounds.
i128 mul_floor(i128 a, i128 b, int frac) noexcept;
/// trunc((a << frac) / b); 0 when b == 0 or the quotient overflows i128.
i128 div_trunc(i128 a, i128 b, int frac) noexcept;
/// a + b and a - b saturating at the i128 bounds.
i128 add_sat(i128 a, i128 b) noexcept;
i128 sub_sat(i128 a, i128 b) noexcept;

}  // namespace synod::consensus::detail
