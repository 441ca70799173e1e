#include "synod/consensus/fixed.hpp"

#include <limits>

#include "wide.hpp"

namespace synod::consensus {
namespace {

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

std::int64_t saturate64(i128 v) noexcept {
  if (v > i64_max) return i64_max;
  if (v < i64_min) return i64_min;
  return static_cast<std::int64_t>(v);
}

}  // namespace

i32f32 i32f32::from_int(std::int64_t v) noexcept {
  return from_raw(saturate64(static_cast<i128>(v) << frac_bits));
}

i32f32 i32f32::from_u16_proportion(std::uint16_t x) noexcept {
  return safe_div(from_int(x), from_int(65535));
}

std::uint16_t i32f32::saturating_to_u16() const noexcept {
  std::int64_t v = floor_int();
  if (v < 0) return 0;
  return v > 65535 ? std::uint16_t{65535} : static_cast<std::uint16_t>(v);
}

std::uint16_t i32f32::to_u16_proportion() const noexcept {
  return (*this * from_int(65535)).saturating_to_u16();
}

i32f32 i32f32::round() const noexcept {
  constexpr i128 half = i128{1} << (frac_bits - 1);
  i128 m = detail::magnitude(raw_);
  i128 r = ((m + half) >> frac_bits) << frac_bits;  // ties go up in magnitude: away from zero
  return from_raw(saturate64(raw_ < 0 ? -r : r));
}

i32f32 operator+(i32f32 a, i32f32 b) noexcept {
  return i32f32::from_raw(saturate64(static_cast<i128>(a.raw()) + b.raw()));
}

i32f32 operator-(i32f32 a, i32f32 b) noexcept {
  return i32f32::from_raw(saturate64(static_cast<i128>(a.raw()) - b.raw()));
}

i32f32 operator*(i32f32 a, i32f32 b) noexcept {
  // C++20 defines >> on negative values as arithmetic: floor, as the library's shift does.
  return i32f32::from_raw(saturate64((static_cast<i128>(a.raw()) * b.raw()) >> 32));
}

i32f32 safe_div(i32f32 a, i32f32 b) noexcept {
  // a << 32 needs at most 96 bits, so the native 128-bit division (truncating, as div_trunc)
  // is exact; the epoch spends most of its time here, and the generic path is bit by bit.
  if (b.raw() == 0) return {};
  if (b.raw() > 0 && a.raw() >= 0 && a.raw() < (std::int64_t{1} << i32f32::frac_bits)) {
    // A proportion below 1 (most calls): the dividend fits 64 bits, one 64-bit division.
    const std::uint64_t q = (static_cast<std::uint64_t>(a.raw()) << i32f32::frac_bits) /
                            static_cast<std::uint64_t>(b.raw());
    return q > static_cast<std::uint64_t>(i64_max) ? i32f32{}
                                                   : i32f32::from_raw(static_cast<std::int64_t>(q));
  }
  i128 q = (static_cast<i128>(a.raw()) * (i128{1} << i32f32::frac_bits)) / b.raw();
  return q > i64_max || q < i64_min ? i32f32{} : i32f32::from_raw(static_cast<std::int64_t>(q));
}

i32f32 checked_mul_or_zero(i32f32 a, i32f32 b) noexcept {
  i128 p = (static_cast<i128>(a.raw()) * b.raw()) >> 32;
  return p > i64_max || p < i64_min ? i32f32{} : i32f32::from_raw(static_cast<std::int64_t>(p));
}

i64f64 i64f64::from_int(std::uint64_t v) noexcept {
  if (v >> 63) return from_raw(static_cast<i128>(~u128{0} >> 1));
  return from_raw(static_cast<i128>(v) << frac_bits);
}

i32f32 i64f64::to_i32f32() const noexcept { return i32f32::from_raw(saturate64(raw_ >> 32)); }

i64f64 operator+(i64f64 a, i64f64 b) noexcept {
  return i64f64::from_raw(detail::add_sat(a.raw(), b.raw()));
}

i64f64 operator-(i64f64 a, i64f64 b) noexcept {
  return i64f64::from_raw(detail::sub_sat(a.raw(), b.raw()));
}

i64f64 operator*(i64f64 a, i64f64 b) noexcept {
  return i64f64::from_raw(detail::mul_floor(a.raw(), b.raw(), i64f64::frac_bits));
}

i64f64 safe_div(i64f64 a, i64f64 b) noexcept {
  return i64f64::from_raw(detail::div_trunc(a.raw(), b.raw(), i64f64::frac_bits));
}

std::uint64_t i96f32::saturating_to_u64() const noexcept {
  i128 v = raw_ >> frac_bits;
  if (v < 0) return 0;
  return v > std::numeric_limits<std::uint64_t>::max() ? std::numeric_limits<std::uint64_t>::max()
                                                       : static_cast<std::uint64_t>(v);
}

i96f32 operator+(i96f32 a, i96f32 b) noexcept {
  return i96f32::from_raw(detail::add_sat(a.raw(), b.raw()));
}

i96f32 operator-(i96f32 a, i96f32 b) noexcept {
  return i96f32::from_raw(detail::sub_sat(a.raw(), b.raw()));
}

i96f32 operator*(i96f32 a, i96f32 b) noexcept {
  return i96f32::from_raw(detail::mul_floor(a.raw(), b.raw(), i96f32::frac_bits));
}

i96f32 safe_div(i96f32 a, i96f32 b) noexcept {
  return i96f32::from_raw(detail::div_trunc(a.raw(), b.raw(), i96f32::frac_bits));
}

std::uint64_t share_of(i32f32 p, std::uint64_t amount) noexcept {
  return (i96f32::from_int(amount) * i96f32::from(p)).saturating_to_u64();
}

}  // namespace synod::consensus
