#include "synod/crypto/password_box.hpp"

#include <gtest/gtest.h>

#include "synod/crypto/errc.hpp"

namespace synod::crypto {
namespace {

const bytes secret = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                      17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

bytes sealed() {
  auto blob = seal_with_password(secret, "correct horse", kdf_strength::minimal);
  EXPECT_TRUE(blob);
  return *blob;
}

TEST(PasswordBox, OpensWithTheRightPassword) {
  auto blob = sealed();
  auto plain = open_with_password(blob, "correct horse");
  ASSERT_TRUE(plain) << plain.error().to_string();
  EXPECT_EQ(*plain, secret);
}

TEST(PasswordBox, SaltMakesEachSealDifferent) {
  EXPECT_NE(sealed(), sealed());
}

TEST(PasswordBox, WrongPasswordIsNamedAsSuch) {
  auto plain = open_with_password(sealed(), "battery staple");
  ASSERT_FALSE(plain);
  EXPECT_TRUE(plain.error().is(errc::wrong_password)) << plain.error().to_string();
}

TEST(PasswordBox, DamageIsCorruptionNotAWrongPassword) {
  auto blob = sealed();
  for (std::size_t i : {std::size_t{0}, std::size_t{8}, std::size_t{30}, blob.size() - 40,
                        blob.size() - 1}) {
    auto bent = blob;
    bent[i] ^= 0x40;
    auto plain = open_with_password(bent, "correct horse");
    ASSERT_FALSE(plain) << "byte " << i;
    EXPECT_TRUE(plain.error().is(errc::corrupt_box)) << i << ": " << plain.error().to_string();
  }
}

TEST(PasswordBox, TruncationAtEveryLengthIsCorruption) {
  auto blob = sealed();
  for (std::size_t n = 0; n < blob.size(); ++n) {
    auto plain = open_with_password(byte_view(blob).first(n), "correct horse");
    ASSERT_FALSE(plain) << n;
    EXPECT_TRUE(plain.error().is(errc::corrupt_box)) << n;
  }
}

}  // namespace
}  // namespace synod::crypto
