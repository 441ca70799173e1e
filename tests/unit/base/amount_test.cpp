#include "synod/base/amount.hpp"

#include <gtest/gtest.h>

#include "synod/base/errc.hpp"

namespace synod {
namespace {

TEST(Amount, FormatsExactDecimal) {
  EXPECT_EQ(format_tao(0), "0");
  EXPECT_EQ(format_tao(1), "0.000000001");
  EXPECT_EQ(format_tao(1'500'000'000), "1.5");
  EXPECT_EQ(format_tao(max_supply), "21000000");
  EXPECT_EQ(format_tao(UINT64_MAX), "18446744073.709551615");
}

TEST(Amount, ParsesExactDecimal) {
  EXPECT_EQ(*parse_tao("0.000000001"), 1u);
  EXPECT_EQ(*parse_tao("1.5"), 1'500'000'000u);
  EXPECT_EQ(*parse_tao("21_000_000"), max_supply);
  EXPECT_EQ(*parse_tao(".25"), 250'000'000u);
  EXPECT_EQ(*parse_tao("18446744073.709551615"), UINT64_MAX);
}

TEST(Amount, RejectsBadTextAndOverflow) {
  for (const char* bad : {"", ".", "1.2.3", "-1", "1e9", "0.0000000001", "abc"}) {
    auto r = parse_tao(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(r.error().is(errc::bad_amount)) << bad << ": " << r.error().to_string();
  }
  auto big = parse_tao("18446744073.709551616");
  ASSERT_FALSE(big);
  EXPECT_TRUE(big.error().is(errc::overflow));
  EXPECT_TRUE(parse_tao("99999999999999999999").error().is(errc::overflow));
}

TEST(Amount, CheckedArithmetic) {
  EXPECT_EQ(checked_add(1, 2), 3u);
  EXPECT_FALSE(checked_add(UINT64_MAX, 1));
  EXPECT_EQ(checked_sub(5, 5), 0u);
  EXPECT_FALSE(checked_sub(4, 5));
}

}  // namespace
}  // namespace synod
