#include "synod/base/result.hpp"

#include <gtest/gtest.h>

#include "synod/base/errc.hpp"

namespace synod {
namespace {

result<int> half(int x) {
  if (x % 2 != 0) return error(errc::overflow, std::to_string(x) + " is odd");
  return x / 2;
}

status quarter_into(int x, int& out) {
  auto h = half(x);
  if (!h) return std::move(h).error();
  auto q = half(*h);
  SYNOD_TRY(q ? ok() : status(q.error()));
  out = *q;
  return ok();
}

TEST(Result, CarriesValueOrError) {
  auto good = half(8);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 4);
  auto bad = half(7);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().is(errc::overflow));
  EXPECT_FALSE(bad.error().is(errc::bad_hex));
  EXPECT_EQ(bad.error().message(), "7 is odd");
}

TEST(Result, ErrorPrintsDomainCodeAndMessage) {
  error e(errc::bad_amount, "'x' is not a TAO amount");
  EXPECT_EQ(e.to_string(), "base.bad_amount: 'x' is not a TAO amount");
  EXPECT_EQ(e.with_context("transfer").to_string(),
            "base.bad_amount: transfer: 'x' is not a TAO amount");
  EXPECT_EQ(e.code_name(), "bad_amount");
  EXPECT_EQ(e.domain().name, "base");
}

TEST(Result, TryPropagatesTheFirstError) {
  int out = -1;
  EXPECT_TRUE(quarter_into(12, out));
  EXPECT_EQ(out, 3);
  auto st = quarter_into(6, out);  // 6 -> 3 -> odd
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message(), "3 is odd");
  EXPECT_EQ(out, 3);  // untouched on failure
}

}  // namespace
}  // namespace synod
