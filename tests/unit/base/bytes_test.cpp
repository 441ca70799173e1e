#include "synod/base/bytes.hpp"

#include <gtest/gtest.h>

#include "synod/base/errc.hpp"

namespace synod {
namespace {

TEST(Hex, RoundTrips) {
  bytes raw{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(raw), "0001abff");
  auto back = from_hex("0001ABff");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, raw);
}

TEST(Hex, RejectsOddLengthAndBadDigits) {
  auto odd = from_hex("abc");
  ASSERT_FALSE(odd);
  EXPECT_TRUE(odd.error().is(errc::bad_hex));
  auto bad = from_hex("00zz");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("position 2"), std::string::npos);
}

TEST(FixedBytes, ChecksLengthAndOrders) {
  auto short_hash = hash32::from_hex("00ff");
  ASSERT_FALSE(short_hash);
  EXPECT_NE(short_hash.error().message().find("expected 64 hex digits"), std::string::npos);
  auto a = hash32::from_hex(std::string(63, '0') + "1");
  auto b = hash32::from_hex(std::string(63, '0') + "2");
  ASSERT_TRUE(a && b);
  EXPECT_LT(*a, *b);
  EXPECT_FALSE(a->is_zero());
  EXPECT_TRUE(hash32{}.is_zero());
  EXPECT_EQ(a->hex(), std::string(63, '0') + "1");
}

}  // namespace
}  // namespace synod
