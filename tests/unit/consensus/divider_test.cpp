// The epoch's exact division shortcuts (runtime/consensus/csr.hpp) against safe_div itself, the
// straightforward formula, on edges and millions of seeded random operands.
#include <gtest/gtest.h>

#include <bit>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "consensus/csr.hpp"
#include "consensus/vector_math.hpp"
#include "consensus/wide.hpp"

namespace synod::consensus::detail {
namespace {

std::uint64_t mix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Near a power of two, or anywhere below 2^bits for a random bit count: both ends of every
// magnitude.
std::uint64_t operand(std::uint64_t& s, int max_bits) {
  const int bits = 1 + static_cast<int>(mix(s) % static_cast<std::uint64_t>(max_bits));
  const std::uint64_t r = mix(s);
  switch (r % 4) {
    case 0: return (std::uint64_t{1} << (bits - 1)) + (mix(s) % 3) - 1;  // 2^k - 1, 2^k, 2^k + 1
    default: return bits == 64 ? mix(s) : mix(s) & ((std::uint64_t{1} << bits) - 1);
  }
}

std::int64_t expected(std::uint64_t x, std::int64_t d) {
  if (d == 0) return static_cast<std::int64_t>(x);  // div_or_keep
  return safe_div(i32f32::from_raw(static_cast<std::int64_t>(x)), i32f32::from_raw(d)).raw();
}

TEST(ProportionDivider, Edges) {
  const std::uint64_t one = std::uint64_t{1} << 32;
  for (std::int64_t d : {std::int64_t{0}, std::int64_t{1}, std::int64_t{2}, std::int64_t{3},
                         std::int64_t{65535}, std::int64_t{1} << 32, (std::int64_t{1} << 32) + 1,
                         std::int64_t{1} << 62, INT64_MAX - 1, INT64_MAX})
    for (std::uint64_t x : {std::uint64_t{0}, std::uint64_t{1}, one / 2, one - 1, one})
      EXPECT_EQ(proportion_divider(d).div(x), expected(x, d)) << x << " / " << d;
}

TEST(ProportionDivider, MatchesSafeDivOnRandomOperands) {
  std::uint64_t s = 42;
  const std::uint64_t one = std::uint64_t{1} << 32;
  for (int c = 0; c < 200'000; ++c) {
    const auto d = static_cast<std::int64_t>(operand(s, 63));
    const proportion_divider by(d);
    for (int t = 0; t < 10; ++t) {
      std::uint64_t x = operand(s, 33);
      if (x > one) x = one;
      ASSERT_EQ(by.div(x), expected(x, d)) << x << " / " << d;
    }
  }
}

// The k = 64 reciprocal of divisors up to 2^32 on the shares the epoch takes: x at most d,
// often just below it (the largest quotients, where the reciprocal's excess weighs most).
TEST(ProportionDivider, SharesOfDivisorsUpTo2To32) {
  std::uint64_t s = 9;
  for (int c = 0; c < 300'000; ++c) {
    const std::uint64_t d = 1 + operand(s, 32);
    const proportion_divider by(static_cast<std::int64_t>(d));
    for (std::uint64_t x : {d, d - 1, d / 2, d - d / 7, operand(s, 33) % (d + 1)})
      ASSERT_EQ(by.div(x), expected(x, static_cast<std::int64_t>(d))) << x << " / " << d;
  }
}

// share_divider on its whole range (x <= d <= 2^34) and its edges.
TEST(ShareDivider, MatchesSafeDivUpTo2To34) {
  std::uint64_t s = 11;
  const std::uint64_t top = std::uint64_t{1} << 34;
  for (std::uint64_t d : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3}, top - 1, top})
    for (std::uint64_t x : {std::uint64_t{0}, std::uint64_t{1}, d / 2, d - (d > 0), d})
      if (x <= d) {
        ASSERT_EQ(static_cast<std::int64_t>(share_divider(d).div(x)), expected(x, static_cast<std::int64_t>(d)));
      }
  for (int c = 0; c < 300'000; ++c) {
    const std::uint64_t d = 1 + operand(s, 34) % top;
    const share_divider by(d);
    for (std::uint64_t x : {d, d - 1, d / 2, d - d / 7, operand(s, 35) % (d + 1)})
      ASSERT_EQ(static_cast<std::int64_t>(by.div(x)), expected(x, static_cast<std::int64_t>(d))) << x << " / " << d;
  }
}

// old_bonds::value's closed form of a u16 proportion (epoch_steps.hpp) for every u16.
TEST(BondValue, U16ProportionIs65537TimesPlusOneAtTheTop) {
  for (std::uint64_t v = 0; v <= 65535; ++v)
    ASSERT_EQ(i32f32::from_u16_proportion(static_cast<std::uint16_t>(v)).raw(),
              static_cast<std::int64_t>(65537 * v + (v == 65535)))
        << v;
}

// normalized_stake's shortcut for non-negative stakes against the I64F64 division.
TEST(ProportionOf, MatchesTheI64F64Quotient) {
  std::uint64_t s = 7;
  auto wide = [&](int bits) {
    const u128 x = (static_cast<u128>(mix(s)) << 64 | mix(s)) >> (128 - bits);
    return x;
  };
  for (int c = 0; c < 300'000; ++c) {
    const int tb = 1 + static_cast<int>(mix(s) % 127);
    u128 t = wide(tb);
    if (t == 0) t = 1;
    u128 x = c % 7 == 0 ? t : wide(1 + static_cast<int>(mix(s) % static_cast<std::uint64_t>(tb)));
    if (x > t) x = t;
    const auto want = safe_div(i64f64::from_raw(static_cast<i128>(x)), i64f64::from_raw(static_cast<i128>(t))).to_i32f32();
    ASSERT_EQ(proportion_of(x, t), want.raw()) << c;
  }
}

// normalize_row's shortcut for a weight row whose I32F32 sum saturated.
TEST(SaturatedRowSum, DividesEveryU16ToTwiceItself) {
  for (std::int64_t v = 0; v <= 65535; ++v)
    ASSERT_EQ(safe_div(i32f32::from_int(v), i32f32::from_raw(INT64_MAX)).raw(), 2 * v) << v;
}

// normalize over the listed non-zero values against normalize over every value: sums that
// fit a share divider, pass 2^34, saturate, or hold negatives (the saturating fold).
TEST(NormalizeListed, MatchesNormalizeOfTheWholeVector) {
  std::uint64_t s = 11;
  for (int c = 0; c < 4'000; ++c) {
    const std::size_t n = 1 + mix(s) % 200;
    const int bits = 1 + static_cast<int>(mix(s) % 63);
    fixed_vector v(n);
    std::vector<std::uint64_t> raws(n);
    std::vector<std::uint32_t> listed;
    for (std::size_t i = 0; i < n; ++i) {
      if (mix(s) % 4 != 0) continue;
      listed.push_back(static_cast<std::uint32_t>(i));
      if (mix(s) % 5 == 0) continue;  // listed, but 0
      auto x = static_cast<std::int64_t>(operand(s, bits) >> 1);
      if (c % 3 == 0 && mix(s) % 4 == 0) x = -x;
      v[i] = i32f32::from_raw(x);
      raws[i] = operand(s, std::min(bits, 40));
    }
    fixed_vector want = v, got = v;
    normalize(want);
    normalize(got, listed);
    ASSERT_EQ(got, want) << c;
    fixed_vector want_raws, got_raws(n);  // zeros on entry, as the function requires
    normalize(raws, want_raws);
    normalize(raws, listed, got_raws);
    ASSERT_EQ(got_raws, want_raws) << c;
  }
}

// exp_safe_all runs many series side by side (32 with AVX-512 IFMA while every |x| <= 10, else
// 8): each lane must give exp_safe's bytes whatever its neighbours, at the clamp, at 0 and 1,
// and at IFMA's bound.
TEST(ExpSafeAll, EachLaneIsExpSafe) {
  std::uint64_t s = 11;
  const std::int64_t one = std::int64_t{1} << 32;
  for (int round = 0; round < 4000; ++round) {
    std::vector<i32f32> xs(1 + mix(s) % 70);
    const std::int64_t reach = (round % 3 == 0 ? 25 : round % 3 == 1 ? 10 : 5) * one;
    for (i32f32& x : xs) {
      const std::int64_t sign = (mix(s) & 1) != 0 ? 1 : -1;
      switch (mix(s) % 5) {
        case 0: x = i32f32::from_raw(sign * static_cast<std::int64_t>(mix(s) % 5) * (one / 2)); break;
        case 1: x = i32f32::from_raw(sign * (10 * one + static_cast<std::int64_t>(mix(s) % 3) - 1)); break;
        default: x = i32f32::from_raw(sign * static_cast<std::int64_t>(mix(s) % static_cast<std::uint64_t>(reach + 1)));
      }
    }
    std::vector<i32f32> want = xs;
    for (i32f32& w : want) w = exp_safe(w);
    exp_safe_all(xs);
    for (std::size_t l = 0; l < xs.size(); ++l) ASSERT_EQ(xs[l].raw(), want[l].raw()) << "lane " << l << " round " << round;
  }
}

}  // namespace
}  // namespace synod::consensus::detail
