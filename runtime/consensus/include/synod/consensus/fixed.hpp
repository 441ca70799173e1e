#pragma once
/// Signed binary fixed point with the rounding of substrate-fixed v0.6.0, the library subtensor's
/// epoch uses (subtensor-economics.md §1). Values are plain integers: no floating point anywhere.
///
/// Shared rules (each mirrors substrate-fixed `src/arith.rs` or subtensor `safe-math`):
/// - `a * b` is the full-width product shifted right by the fractional bits: floor (toward -inf),
///   saturating at the type bounds (substrate-fixed `saturating_mul`).
/// - `a + b`, `a - b` saturate at the type bounds (`saturating_add` / `saturating_sub`).
/// - `safe_div(a, b)` is `(a << frac) / b` truncated toward zero; it returns 0 on division by zero
///   *and* on overflow (subtensor `SafeDiv`, not saturation).
/// - Conversions to integers and to types with fewer fractional bits drop bits (floor).
/// All functions are pure and callable from any thread.

#include <compare>
#include <cstdint>

#include "synod/base/int128.hpp"

namespace synod::consensus {

/// I32F32: 64-bit raw, 32 fractional bits. Everything inside the epoch uses it.
class i32f32 {
 public:
  static constexpr int frac_bits = 32;
  constexpr i32f32() = default;
  static constexpr i32f32 from_raw(std::int64_t raw) noexcept { return i32f32(raw); }
  /// The integer `v`, saturating at the bounds (±2^31).
  static constexpr i32f32 from_int(std::int64_t v) noexcept {
    // |v| < 2^31 is exact; beyond, the raw saturates at the int64 bounds.
    if (v >= (std::int64_t{1} << 31)) return i32f32(INT64_MAX);
    if (v < -(std::int64_t{1} << 31)) return i32f32(INT64_MIN);
    return i32f32(static_cast<std::int64_t>(static_cast<std::uint64_t>(v) << frac_bits));
  }
  static constexpr i32f32 one() noexcept { return i32f32(std::int64_t{1} << frac_bits); }
  /// x / 65535 (truncating): subtensor `u16_proportion_to_fixed`.
  static i32f32 from_u16_proportion(std::uint16_t x) noexcept;

  [[nodiscard]] constexpr std::int64_t raw() const noexcept { return raw_; }
  /// Integer part, floor (fixed `to_num` for non-negative values).
  [[nodiscard]] constexpr std::int64_t floor_int() const noexcept { return raw_ >> frac_bits; }
  /// Floor clamped to [0, 65535] (`saturating_to_num::<u16>`).
  [[nodiscard]] constexpr std::uint16_t saturating_to_u16() const noexcept {
    const std::int64_t v = floor_int();
    return v < 0 ? std::uint16_t{0} : v > 65535 ? std::uint16_t{65535} : static_cast<std::uint16_t>(v);
  }
  /// floor(x * 65535) as u16: subtensor `fixed_proportion_to_u16`, how outputs are stored.
  [[nodiscard]] constexpr std::uint16_t to_u16_proportion() const noexcept {
    // x * 65535.0 is raw * 65535 exactly (the shift drops only zero bits), saturated to int64.
    if (raw_ <= 0) return 0;
    if (raw_ >= (std::int64_t{1} << frac_bits)) return 65535;  // 1.0 or more
    return static_cast<std::uint16_t>((raw_ * 65535) >> frac_bits);
  }
  /// Nearest integer, ties away from zero (fixed `round`, used by weight max-upscaling).
  [[nodiscard]] i32f32 round() const noexcept;

  friend constexpr auto operator<=>(i32f32, i32f32) = default;

 private:
  constexpr explicit i32f32(std::int64_t raw) : raw_(raw) {}
  std::int64_t raw_ = 0;
};

namespace detail {
/// v clamped to the int64 range.
constexpr std::int64_t saturate64(i128 v) noexcept {
  constexpr i128 hi = static_cast<i128>(INT64_MAX), lo = static_cast<i128>(INT64_MIN);
  return v > hi ? INT64_MAX : v < lo ? INT64_MIN : static_cast<std::int64_t>(v);
}
/// The wide path of safe_div for I32F32: trunc((a << 32) / b), 0 on overflow. b != 0.
i32f32 safe_div_wide(i32f32 a, i32f32 b) noexcept;
}  // namespace detail

// The epoch runs these once or more per weight, so they are inline (the profile's hot spots).
constexpr i32f32 operator+(i32f32 a, i32f32 b) noexcept {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a.raw(), b.raw(), &r)) return i32f32::from_raw(a.raw() < 0 ? INT64_MIN : INT64_MAX);
  return i32f32::from_raw(r);
}
constexpr i32f32 operator-(i32f32 a, i32f32 b) noexcept {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a.raw(), b.raw(), &r)) return i32f32::from_raw(a.raw() < 0 ? INT64_MIN : INT64_MAX);
  return i32f32::from_raw(r);
}
constexpr i32f32 operator*(i32f32 a, i32f32 b) noexcept {
  // floor(p / 2^32) (C++20's >> on negative values is arithmetic, as the library's shift is). It
  // fits int64 exactly when the product's high word is in [-2^31, 2^31): one test, not two
  // 128-bit comparisons.
  const i128 p = static_cast<i128>(a.raw()) * b.raw();
  const auto hi = static_cast<std::int64_t>(p >> 64);
  if (static_cast<std::uint64_t>(hi) + (std::uint64_t{1} << 31) >= (std::uint64_t{1} << 32))
    return i32f32::from_raw(hi < 0 ? INT64_MIN : INT64_MAX);
  return i32f32::from_raw(static_cast<std::int64_t>(p >> 32));
}
/// Truncating division; 0 when b == 0 or the quotient does not fit.
inline i32f32 safe_div(i32f32 a, i32f32 b) noexcept {
  if (b.raw() > 0 && a.raw() >= 0 && a.raw() < (std::int64_t{1} << i32f32::frac_bits)) {
    // A proportion below 1 (most calls): the dividend fits 64 bits, one 64-bit division.
    const std::uint64_t q = (static_cast<std::uint64_t>(a.raw()) << i32f32::frac_bits) /
                            static_cast<std::uint64_t>(b.raw());
    return q > static_cast<std::uint64_t>(INT64_MAX) ? i32f32{}
                                                     : i32f32::from_raw(static_cast<std::int64_t>(q));
  }
  return b.raw() == 0 ? i32f32{} : detail::safe_div_wide(a, b);
}
/// The product, or 0 when it does not fit (subtensor `checked_mul(..).unwrap_or_default()`).
constexpr i32f32 checked_mul_or_zero(i32f32 a, i32f32 b) noexcept {
  const i128 p = (static_cast<i128>(a.raw()) * b.raw()) >> 32;
  return p > INT64_MAX || p < INT64_MIN ? i32f32{} : i32f32::from_raw(static_cast<std::int64_t>(p));
}

/// I64F64: 128-bit raw, 64 fractional bits. Stake totals and their normalization.
class i64f64 {
 public:
  static constexpr int frac_bits = 64;
  constexpr i64f64() = default;
  static constexpr i64f64 from_raw(i128 raw) noexcept { return i64f64(raw); }
  /// The integer `v` (saturating at 2^63 - 2^-64 for v >= 2^63).
  static i64f64 from_int(std::uint64_t v) noexcept;

  [[nodiscard]] constexpr i128 raw() const noexcept { return raw_; }
  /// Integer part, floor.
  [[nodiscard]] constexpr i128 floor_int() const noexcept { return raw_ >> frac_bits; }
  /// Drops the low 32 fractional bits (floor), saturating to I32F32's bounds.
  [[nodiscard]] i32f32 to_i32f32() const noexcept;

  friend constexpr auto operator<=>(i64f64, i64f64) = default;

 private:
  constexpr explicit i64f64(i128 raw) : raw_(raw) {}
  i128 raw_ = 0;
};

i64f64 operator+(i64f64 a, i64f64 b) noexcept;
i64f64 operator-(i64f64 a, i64f64 b) noexcept;
i64f64 operator*(i64f64 a, i64f64 b) noexcept;
i64f64 safe_div(i64f64 a, i64f64 b) noexcept;

/// I96F32: 128-bit raw, 32 fractional bits. Turns proportions into rao amounts.
class i96f32 {
 public:
  static constexpr int frac_bits = 32;
  constexpr i96f32() = default;
  static constexpr i96f32 from_raw(i128 raw) noexcept { return i96f32(raw); }
  static constexpr i96f32 from_int(std::uint64_t v) noexcept {
    return i96f32(static_cast<i128>(v) << frac_bits);
  }
  /// Same value, widened (exact: both have 32 fractional bits).
  static constexpr i96f32 from(i32f32 x) noexcept { return i96f32(x.raw()); }

  [[nodiscard]] constexpr i128 raw() const noexcept { return raw_; }
  /// Floor clamped to [0, 2^64 - 1] (`saturating_to_num::<u64>`).
  [[nodiscard]] std::uint64_t saturating_to_u64() const noexcept;

  friend constexpr auto operator<=>(i96f32, i96f32) = default;

 private:
  constexpr explicit i96f32(i128 raw) : raw_(raw) {}
  i128 raw_ = 0;
};

i96f32 operator+(i96f32 a, i96f32 b) noexcept;
i96f32 operator-(i96f32 a, i96f32 b) noexcept;
i96f32 operator*(i96f32 a, i96f32 b) noexcept;
i96f32 safe_div(i96f32 a, i96f32 b) noexcept;

/// floor(p * amount) for a proportion p: how the epoch turns shares into rao (I96F32 product).
inline std::uint64_t share_of(i32f32 p, std::uint64_t amount) noexcept {
  // The I96F32 product is amount * raw(p) exactly (below 2^127, no saturation); its floor is
  // negative or 0 unless p > 0.
  if (p.raw() <= 0) return 0;
  const u128 v = (static_cast<u128>(amount) * static_cast<std::uint64_t>(p.raw())) >> 32;
  return v > ~std::uint64_t{0} ? ~std::uint64_t{0} : static_cast<std::uint64_t>(v);
}

/// e^x by substrate-fixed's Taylor series (`transcendental::exp`), each step floored or
/// truncated as the library does; x == 1 returns the library's constant e.
i32f32 exp(i32f32 x) noexcept;
/// exp with x clamped to [-20, 20] first: subtensor `exp_safe`.
i32f32 exp_safe(i32f32 x) noexcept;

}  // namespace synod::consensus
