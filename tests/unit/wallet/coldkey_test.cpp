// The coldkey file under attack: wrong passwords, truncation, bit flips, a disagreeing address
// file. Each failure must say what and where, and leave every file exactly as it was.

#include <gtest/gtest.h>

#include "synod/crypto/address.hpp"
#include "synod/wallet/errc.hpp"
#include "wallet_fixture.hpp"

namespace synod::wallet::testing {
namespace {

class WalletColdkey : public WalletTest {
 protected:
  void SetUp() override {
    WalletTest::SetUp();
    coldkey_pub_ = *create("alice").coldkey.key;
    original_ = read_text(coldkey("alice"));
    ASSERT_GT(original_.size(), 100u);
  }

  // Loads with the right password; expects corrupt_file naming the coldkey, file untouched.
  void expect_corrupt(const std::string& label) {
    auto before = snapshot(coldkey("alice"));
    auto loaded = store().load_coldkey("alice", password);
    ASSERT_FALSE(loaded) << label;
    EXPECT_TRUE(loaded.error().is(errc::corrupt_file)) << label << ": "
                                                       << loaded.error().to_string();
    EXPECT_NE(loaded.error().message().find(coldkey("alice").string()), std::string::npos)
        << loaded.error().message();
    EXPECT_EQ(snapshot(coldkey("alice")), before) << label;
  }

  crypto::public_key coldkey_pub_;
  std::string original_;
};

TEST_F(WalletColdkey, WrongPasswordIsNamedAndLeavesTheFileUntouched) {
  auto before = snapshot(coldkey("alice"));
  auto loaded = store().load_coldkey("alice", "Correct horse battery staple");
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(loaded.error().is(errc::wrong_password)) << loaded.error().to_string();
  EXPECT_NE(loaded.error().message().find(coldkey("alice").string()), std::string::npos);
  EXPECT_NE(loaded.error().to_string().find("wrong password"), std::string::npos);
  EXPECT_EQ(snapshot(coldkey("alice")), before);
  EXPECT_TRUE(store().load_coldkey("alice", password));  // and the right one still opens it
}

TEST_F(WalletColdkey, TruncationIsCorruptionNotAWrongPassword) {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{8}, std::size_t{64},
                        std::size_t{100}, original_.size() - 33, original_.size() - 1}) {
    write_text(coldkey("alice"), std::string_view(original_).substr(0, n));
    expect_corrupt("truncated to " + std::to_string(n));
  }
}

TEST_F(WalletColdkey, BitFlipsAreCorruptionNotAWrongPassword) {
  for (std::size_t i : {std::size_t{0}, std::size_t{8}, std::size_t{20}, std::size_t{70},
                        std::size_t{100}, original_.size() - 1}) {
    auto bent = original_;
    bent[i] = static_cast<char>(bent[i] ^ 0x10);
    write_text(coldkey("alice"), bent);
    expect_corrupt("bit flip at " + std::to_string(i));
  }
}

TEST_F(WalletColdkey, TrailingGarbageIsCorruption) {
  write_text(coldkey("alice"), original_ + "x");
  expect_corrupt("one byte appended");
}

TEST_F(WalletColdkey, MissingColdkeyIsNotFound) {
  fs::remove(coldkey("alice"));
  auto loaded = store().load_coldkey("alice", password);
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(loaded.error().is(errc::not_found)) << loaded.error().to_string();
  EXPECT_NE(loaded.error().message().find(coldkey("alice").string()), std::string::npos);
  auto shown = store().show("alice");
  ASSERT_TRUE(shown);
  EXPECT_FALSE(shown->healthy());
  EXPECT_TRUE(shown->coldkey.key);  // the address file still says who it was
}

TEST_F(WalletColdkey, AnAddressFileThatDisagreesIsCorruption) {
  auto pub_file = dir("alice") / "coldkeypub.txt";
  write_text(pub_file, crypto::to_ss58(crypto::keypair::generate().public_key()) + "\n");
  auto loaded = store().load_coldkey("alice", password);
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(loaded.error().is(errc::corrupt_file)) << loaded.error().to_string();
  EXPECT_NE(loaded.error().message().find(pub_file.string()), std::string::npos);

  write_text(pub_file, "5Grwva-not-an-address");
  auto shown = store().show("alice");
  ASSERT_TRUE(shown);
  ASSERT_FALSE(shown->coldkey.key);
  EXPECT_TRUE(shown->coldkey.key.error().is(errc::corrupt_file));
  EXPECT_FALSE(store().load_coldkey("alice", password));
}

TEST_F(WalletColdkey, AMissingAddressFileDoesNotLockTheColdkeyAway) {
  fs::remove(dir("alice") / "coldkeypub.txt");
  auto loaded = store().load_coldkey("alice", password);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(loaded->public_key(), coldkey_pub_);
  auto shown = store().show("alice");
  ASSERT_TRUE(shown);
  EXPECT_TRUE(shown->coldkey.key.error().is(errc::not_found));
}

}  // namespace
}  // namespace synod::wallet::testing
