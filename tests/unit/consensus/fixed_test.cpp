// Fixed point with substrate-fixed's rounding (subtensor-economics.md §1). Expected raw values
// are worked by hand from the rule in each test's name.
#include "synod/consensus/fixed.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "synod/consensus/weights.hpp"

namespace synod::consensus {
namespace {

constexpr std::int64_t one_raw = std::int64_t{1} << 32;
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

i32f32 raw(std::int64_t r) { return i32f32::from_raw(r); }

TEST(FixedI32F32, MultiplyFloorsTowardMinusInfinity) {
  const i32f32 half = raw(one_raw / 2);
  EXPECT_EQ((half * half).raw(), one_raw / 4);
  EXPECT_EQ((raw(3) * half).raw(), 1);    // 1.5 raw units -> 1
  EXPECT_EQ((raw(-3) * half).raw(), -2);  // -1.5 raw units -> -2, not -1
  EXPECT_EQ((raw(-1) * raw(1)).raw(), -1);
}

TEST(FixedI32F32, MultiplySaturates) {
  const i32f32 big = i32f32::from_int(1 << 20);
  EXPECT_EQ((big * big).raw(), i64_max);
  EXPECT_EQ((big * (i32f32{} - big)).raw(), i64_min);
  EXPECT_EQ(checked_mul_or_zero(big, big).raw(), 0);
  EXPECT_EQ(checked_mul_or_zero(i32f32::from_int(2), i32f32::from_int(3)), i32f32::from_int(6));
}

TEST(FixedI32F32, DivideTruncatesTowardZero) {
  EXPECT_EQ(safe_div(i32f32::one(), i32f32::from_int(3)).raw(), 1431655765);  // 2^32 / 3
  EXPECT_EQ(safe_div(i32f32::from_int(-1), i32f32::from_int(3)).raw(), -1431655765);
  EXPECT_EQ(safe_div(i32f32::from_int(7), i32f32::from_int(2)),
            i32f32::from_int(7) * raw(one_raw / 2));
}

TEST(FixedI32F32, SafeDivIsZeroOnDivideByZeroAndOverflow) {
  EXPECT_EQ(safe_div(i32f32::one(), i32f32{}).raw(), 0);
  EXPECT_EQ(safe_div(i32f32::from_int(1 << 30), raw(1)).raw(), 0);  // 2^62 does not fit
}

TEST(FixedI32F32, AddAndSubtractSaturate) {
  EXPECT_EQ((raw(i64_max) + raw(1)).raw(), i64_max);
  EXPECT_EQ((raw(i64_min) - raw(1)).raw(), i64_min);
  EXPECT_EQ((raw(5) - raw(7)).raw(), -2);
  EXPECT_EQ(i32f32::from_int(std::int64_t{1} << 40).raw(), i64_max);
}

TEST(FixedI32F32, ConversionsFloor) {
  EXPECT_EQ(raw(one_raw * 3 - 1).floor_int(), 2);
  EXPECT_EQ(raw(-1).floor_int(), -1);
  EXPECT_EQ(i32f32::from_int(70000).saturating_to_u16(), 65535);
  EXPECT_EQ(i32f32::from_int(-5).saturating_to_u16(), 0);
}

TEST(FixedI32F32, U16Proportions) {
  EXPECT_EQ(i32f32::from_u16_proportion(65535), i32f32::one());
  EXPECT_EQ(i32f32::from_u16_proportion(32767).raw(), 2147450879);  // floor(32767 * 2^32 / 65535)
  EXPECT_EQ(i32f32::one().to_u16_proportion(), 65535);
  EXPECT_EQ(raw(one_raw - 3).to_u16_proportion(), 65534);  // 0.9999999993 is stored floored
  EXPECT_EQ(i32f32::from_int(2).to_u16_proportion(), 65535);
  EXPECT_EQ(i32f32{}.to_u16_proportion(), 0);
}

TEST(FixedI32F32, RoundTiesAwayFromZero) {
  EXPECT_EQ(raw(one_raw * 5 / 2).round(), i32f32::from_int(3));
  EXPECT_EQ(raw(-one_raw * 5 / 2).round(), i32f32::from_int(-3));
  EXPECT_EQ(raw(one_raw * 5 / 2 - 1).round(), i32f32::from_int(2));
  EXPECT_EQ(raw(-one_raw * 5 / 2 + 1).round(), i32f32::from_int(-2));
}

TEST(FixedI64F64, NormalizesWithWideDivision) {
  const i64f64 q = safe_div(i64f64::from_int(3), i64f64::from_int(7));
  EXPECT_EQ(q.raw(), static_cast<i128>(7905747460161236406ULL));  // floor(3 * 2^64 / 7)
  EXPECT_EQ(q.to_i32f32().raw(), 1840700269);                     // narrowing floors
  // (2^62 << 64) / (2^62 + 1) needs a 192-bit numerator: 2^64 - 4 after truncation.
  const i64f64 big = i64f64::from_int(std::uint64_t{1} << 62);
  const i64f64 wide = safe_div(big, big + i64f64::from_int(1));
  EXPECT_EQ(wide.raw(), static_cast<i128>(18446744073709551612ULL));
  EXPECT_EQ(safe_div(big, i64f64{}).raw(), 0);
}

TEST(FixedI64F64, SignedDivisionTruncatesAndOverflowIsZero) {
  const i64f64 minus_one = i64f64::from_raw(-(i128{1} << 64));
  EXPECT_EQ(safe_div(minus_one, i64f64::from_int(3)).raw(),
            -static_cast<i128>(6148914691236517205ULL));  // -floor(2^64 / 3): toward zero
  const i64f64 big = i64f64::from_int(std::uint64_t{1} << 62);
  EXPECT_EQ(safe_div(big, i64f64::from_raw(1)).raw(), 0);  // 2^126 is past I64F64 max 2^63
  EXPECT_EQ(safe_div(i96f32::from_int(std::uint64_t{1} << 63), i96f32::from_raw(1)).raw(),
            0);  // 2^95 is past I96F32 max
}

TEST(FixedI64F64, MultiplyAndSaturate) {
  const i64f64 one_and_half = i64f64::from_raw(i128{3} << 63);
  EXPECT_EQ((one_and_half * one_and_half).raw(), i128{9} << 62);  // 2.25
  EXPECT_EQ((i64f64::from_raw(-1) * i64f64::from_raw(1)).raw(), -1);
  const i64f64 huge = i64f64::from_int(std::uint64_t{1} << 62);
  EXPECT_EQ((huge * huge).raw(), static_cast<i128>(~u128{0} >> 1));
  EXPECT_EQ(i64f64::from_int(~std::uint64_t{0}).raw(), static_cast<i128>(~u128{0} >> 1));
}

TEST(FixedI96F32, SharesOfAmountsFloor) {
  EXPECT_EQ(share_of(raw(one_raw / 10), 1'000'000'000), 99'999'999u);  // 0.1 floored is < 0.1
  EXPECT_EQ(share_of(i32f32::one(), 1'000'000'000), 1'000'000'000u);
  // (2^64 - 1) * 1.0 needs a 160-bit product.
  EXPECT_EQ(share_of(i32f32::one(), ~std::uint64_t{0}), ~std::uint64_t{0});
  EXPECT_EQ(share_of(i32f32{} - i32f32::one(), 5), 0u);
  const i96f32 third = safe_div(i96f32::from_int(1), i96f32::from_int(3));
  EXPECT_EQ(third.raw(), i128{1431655765});
  EXPECT_EQ((i96f32::from_int(6) * third).saturating_to_u64(), 1u);  // 1.9999999991 floors
}

TEST(FixedExp, FollowsTheLibrarySeries) {
  EXPECT_EQ(exp(i32f32{}), i32f32::one());
  EXPECT_EQ(exp(i32f32::one()).raw(), 11674931555);  // the library's stored e
  EXPECT_EQ(exp(raw(one_raw / 2)).raw(), 7081203935);
  EXPECT_EQ(exp(raw(-one_raw / 2)).raw(), 2605029348);
  EXPECT_EQ(exp(i32f32::from_int(2)).raw(), 31735754285);
  EXPECT_EQ(exp(i32f32{} - i32f32::one()).raw(), 1580030168);
  EXPECT_EQ(exp(raw(123456789)).raw(), 4420215560);
}

TEST(FixedExp, SafeVersionClampsToTwenty) {
  EXPECT_EQ(exp_safe(i32f32::from_int(25)).raw(), 2066907302758576256);
  EXPECT_EQ(exp_safe(i32f32::from_int(-25)).raw(), 8);
  EXPECT_EQ(exp_safe(i32f32::from_int(20)), exp(i32f32::from_int(20)));
}

TEST(FixedMaxUpscale, MatchesTheChainsStoredWeights) {
  using v = std::vector<std::uint16_t>;
  EXPECT_EQ(max_upscale(v{43690, 21845}), (v{65535, 32768}));
  EXPECT_EQ(max_upscale(v{21845, 10922}), (v{65535, 32766}));
  EXPECT_EQ(max_upscale(v{32767, 32767}), (v{65535, 65535}));
  EXPECT_EQ(max_upscale(v{1, 2, 3}), (v{21845, 43690, 65535}));
  EXPECT_EQ(max_upscale(v{0, 0}), (v{0, 0}));
  EXPECT_TRUE(max_upscale(v{}).empty());
}

}  // namespace
}  // namespace synod::consensus
