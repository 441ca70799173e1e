// The plain hotkey file: its format is a contract with files written by other builds, and any
// damage or edit that breaks the seed-to-key link is caught on load, without rewriting it.

#include <gtest/gtest.h>

#include "synod/crypto/address.hpp"
#include "synod/wallet/errc.hpp"
#include "wallet_fixture.hpp"

namespace synod::wallet::testing {
namespace {

// RFC 8032 test 1 key.
constexpr std::string_view seed_hex =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view public_hex =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

std::string rfc_ss58() { return crypto::to_ss58(*crypto::public_key::from_hex(public_hex)); }

struct fields {
  std::string format = "\"synod-hotkey\"";
  std::string version = "1";
  std::string seed = "\"" + std::string(seed_hex) + "\"";
  std::string public_key = "\"" + std::string(public_hex) + "\"";
  std::string ss58 = "\"" + rfc_ss58() + "\"";
};

std::string hotkey_json(const fields& f) {
  return "{\"format\": " + f.format + ", \"version\": " + f.version + ", \"seed\": " + f.seed +
         ", \"public_key\": " + f.public_key + ", \"ss58\": " + f.ss58 + "}\n";
}

class WalletHotkey : public WalletTest {
 protected:
  void SetUp() override {
    WalletTest::SetUp();
    create("alice");
  }

  // Writes `text` as hotkey "h"; loading must fail with corrupt_file naming the file and
  // containing `why`, and leave the file as written.
  void expect_corrupt(const std::string& text, std::string_view why) {
    write_text(hotkey("alice", "h"), text);
    auto before = snapshot(hotkey("alice", "h"));
    auto loaded = store().load_hotkey("alice", "h");
    ASSERT_FALSE(loaded) << text;
    EXPECT_TRUE(loaded.error().is(errc::corrupt_file)) << loaded.error().to_string();
    const auto& msg = loaded.error().message();
    EXPECT_NE(msg.find(hotkey("alice", "h").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find(why), std::string::npos) << msg;
    EXPECT_EQ(snapshot(hotkey("alice", "h")), before);
  }
};

TEST_F(WalletHotkey, ReadsTheDocumentedFormat) {
  write_text(hotkey("alice", "h"), hotkey_json({}));
  auto loaded = store().load_hotkey("alice", "h");
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(loaded->public_key().hex(), public_hex);
}

TEST_F(WalletHotkey, WritesWhatItReads) {
  auto text = read_text(hotkey("alice", "default"));
  for (auto key : {"\"format\"", "\"synod-hotkey\"", "\"version\"", "\"seed\"", "\"public_key\"",
                   "\"ss58\""})
    EXPECT_NE(text.find(key), std::string::npos) << key << " in " << text;
  EXPECT_TRUE(store().load_hotkey("alice", "default"));
}

TEST_F(WalletHotkey, BadJsonIsCorrupt) {
  expect_corrupt("{\"format\": \"synod-hotkey\", ", "not valid JSON");
  expect_corrupt("", "empty");
  expect_corrupt("[1, 2, 3]", "not a JSON object");
}

TEST_F(WalletHotkey, TruncationAtAnyLengthIsCorrupt) {
  auto text = hotkey_json({});
  for (std::size_t n = 1; n + 2 < text.size(); n += 7) expect_corrupt(text.substr(0, n), "");
}

TEST_F(WalletHotkey, MismatchedKeyIsCorrupt) {
  fields other;
  other.public_key = "\"" + crypto::keypair::generate().public_key().hex() + "\"";
  expect_corrupt(hotkey_json(other), "does not derive the stored public key");
  fields bent_seed;
  bent_seed.seed[5] = bent_seed.seed[5] == '0' ? '1' : '0';
  expect_corrupt(hotkey_json(bent_seed), "does not derive the stored public key");
  fields wrong_address;
  wrong_address.ss58 = "\"" + crypto::to_ss58(crypto::keypair::generate().public_key()) + "\"";
  expect_corrupt(hotkey_json(wrong_address), "ss58");
}

TEST_F(WalletHotkey, MalformedFieldsAreCorrupt) {
  fields f;
  f.version = "2";
  expect_corrupt(hotkey_json(f), "version");
  f = {};
  f.format = "\"bittensor-keyfile\"";
  expect_corrupt(hotkey_json(f), "format");
  f = {};
  f.seed = "\"" + std::string(seed_hex.substr(0, 62)) + "\"";
  expect_corrupt(hotkey_json(f), "seed");
  f = {};
  f.seed = "12";
  expect_corrupt(hotkey_json(f), "\"seed\" is missing or not a string");
  f = {};
  f.public_key = "\"zz\"";
  expect_corrupt(hotkey_json(f), "public_key");
}

}  // namespace
}  // namespace synod::wallet::testing
