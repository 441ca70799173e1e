#include "synod/crypto/keys.hpp"

#include <gtest/gtest.h>

#include "synod/crypto/errc.hpp"

namespace synod::crypto {
namespace {

keypair rfc8032_key() {
  auto raw = from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  return keypair::from_seed(*seed::from_view(*raw));
}

TEST(Ed25519, MatchesRfc8032TestOne) {
  auto kp = rfc8032_key();
  EXPECT_EQ(kp.public_key().hex(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = kp.sign({});
  EXPECT_EQ(sig.hex(),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
            "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify(kp.public_key(), {}, sig));
}

TEST(Ed25519, RejectsTamperedMessageSignatureAndKey) {
  auto kp = keypair::generate();
  auto msg = as_bytes("transfer 5 TAO");
  auto sig = kp.sign(msg);
  ASSERT_TRUE(verify(kp.public_key(), msg, sig));
  EXPECT_FALSE(verify(kp.public_key(), as_bytes("transfer 6 TAO"), sig));
  auto bent = sig;
  bent.data[10] ^= 1;
  EXPECT_FALSE(verify(kp.public_key(), msg, bent));
  EXPECT_FALSE(verify(keypair::generate().public_key(), msg, sig));
}

TEST(Ed25519, SeedRoundTripsAndIsDeterministic) {
  auto kp = keypair::generate();
  auto again = keypair::from_seed(kp.seed());
  EXPECT_EQ(again.public_key(), kp.public_key());
  EXPECT_NE(keypair::generate().public_key(), kp.public_key());
}

TEST(Ed25519, SeedMustBe32Bytes) {
  bytes short_seed(31, 7);
  auto s = seed::from_view(short_seed);
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().is(errc::bad_key));
}

}  // namespace
}  // namespace synod::crypto
