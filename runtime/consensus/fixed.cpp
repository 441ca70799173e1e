#include "synod/consensus/fixed.hpp"

#include <limits>

#include "wide.hpp"

namespace synod::consensus {
namespace {

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

using detail::saturate64;

}  // namespace

i32f32 i32f32::from_u16_proportion(std::uint16_t x) noexcept {
  return safe_div(from_int(x), from_int(65535));
}

i32f32 i32f32::round() const noexcept {
  constexpr i128 half = i128{1} << (frac_bits - 1);
  i128 m = detail::magnitude(raw_);
  i128 r = ((m + half) >> frac_bits) << frac_bits;  // ties go up in magnitude: away from zero
  return from_raw(saturate64(raw_ < 0 ? -r : r));
}

namespace detail {

i32f32 safe_div_wide(i32f32 a, i32f32 b) noexcept {
  // a << 32 needs at most 96 bits, so the native 128-bit division (truncating, as div_trunc)
  // is exact.
  i128 q = (static_cast<i128>(a.raw()) * (i128{1} << i32f32::frac_bits)) / b.raw();
  return q > i64_max || q < i64_min ? i32f32{} : i32f32::from_raw(static_cast<std::int64_t>(q));
}

}  // namespace detail

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

}  // namespace synod::consensus
