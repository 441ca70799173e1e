#include "synod/crypto/hash.hpp"

#include <gtest/gtest.h>

namespace synod::crypto {
namespace {

TEST(Blake2b256, MatchesKnownVectors) {
  EXPECT_EQ(blake2b_256({}).hex(),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(blake2b_256(as_bytes("abc")).hex(),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(Blake2b256, IncrementalEqualsOneShot) {
  hasher h;
  h.update(as_bytes("a")).update(as_bytes("bc"));
  EXPECT_EQ(h.finish(), blake2b_256(as_bytes("abc")));
}

TEST(Blake2b256, U64IsLittleEndian) {
  hasher h;
  h.update_u64_le(0x0807060504030201ull);
  const std::uint8_t le[] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(h.finish(), blake2b_256(le));
}

}  // namespace
}  // namespace synod::crypto
