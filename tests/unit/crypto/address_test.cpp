#include "synod/crypto/address.hpp"

#include <gtest/gtest.h>

#include "synod/crypto/errc.hpp"

namespace synod::crypto {
namespace {

// Substrate's well-known development key "Alice" and its generic-prefix address.
constexpr std::string_view alice_hex =
    "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
constexpr std::string_view alice_ss58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

TEST(Ss58, MatchesSubstrateEncoding) {
  auto key = public_key::from_hex(alice_hex);
  ASSERT_TRUE(key);
  EXPECT_EQ(to_ss58(*key), alice_ss58);
  auto back = from_ss58(alice_ss58);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, *key);
}

TEST(Ss58, RoundTripsRandomKeys) {
  for (int i = 0; i < 50; ++i) {
    auto key = keypair::generate().public_key();
    auto back = from_ss58(to_ss58(key));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, key);
  }
}

TEST(Ss58, RejectsTyposBadCharactersAndLength) {
  std::string typo(alice_ss58);
  typo[10] = typo[10] == 'a' ? 'b' : 'a';
  auto r = from_ss58(typo);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::bad_address));
  EXPECT_NE(r.error().message().find("checksum"), std::string::npos);

  auto zero = from_ss58("5GrwvaEF0zXb");  // '0' is not in base58
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message().find("not base58"), std::string::npos);

  EXPECT_FALSE(from_ss58("5Grwva"));
  EXPECT_FALSE(from_ss58(""));
}

TEST(Ss58, ParsePublicKeyAcceptsHexOrAddress) {
  auto a = parse_public_key(alice_hex);
  auto b = parse_public_key(alice_ss58);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(parse_public_key("not-a-key"));
}

}  // namespace
}  // namespace synod::crypto
