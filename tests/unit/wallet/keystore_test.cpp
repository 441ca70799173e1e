#include "synod/wallet/keystore.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

#include "synod/crypto/address.hpp"
#include "synod/wallet/errc.hpp"
#include "wallet_fixture.hpp"

namespace synod::wallet::testing {
namespace {

bool mentions(const error& e, std::string_view text) {
  return e.message().find(text) != std::string::npos;
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

// RFC 8032 test 1: this seed derives this public key.
constexpr std::string_view rfc_seed =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view rfc_public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

crypto::seed rfc_seed_value() { return *crypto::seed::from_view(*from_hex(rfc_seed)); }

using WalletKeystore = WalletTest;

TEST_F(WalletKeystore, CreateListShowAndLoadAgree) {
  auto made = create("alice");
  ASSERT_TRUE(made.healthy());
  ASSERT_EQ(made.hotkeys.size(), 1u);
  EXPECT_EQ(made.hotkeys[0].name, "default");

  auto listed = store().list();
  ASSERT_TRUE(listed) << listed.error().to_string();
  ASSERT_EQ(listed->size(), 1u);
  const auto& info = listed->front();
  EXPECT_EQ(info.name, "alice");
  EXPECT_EQ(info.dir, dir("alice"));
  ASSERT_TRUE(info.healthy()) << info.first_problem()->to_string();
  EXPECT_EQ(*info.coldkey.key, *made.coldkey.key);
  EXPECT_EQ(*info.hotkeys.at(0).key, *made.hotkeys[0].key);

  auto shown = store().show("alice");
  ASSERT_TRUE(shown);
  EXPECT_EQ(*shown->coldkey.key, *made.coldkey.key);

  auto cold = store().load_coldkey("alice", password);
  ASSERT_TRUE(cold) << cold.error().to_string();
  EXPECT_EQ(cold->public_key(), *made.coldkey.key);
  auto hot = store().load_hotkey("alice", "default");
  ASSERT_TRUE(hot) << hot.error().to_string();
  EXPECT_EQ(hot->public_key(), *made.hotkeys[0].key);
  EXPECT_NE(hot->public_key(), cold->public_key());
  auto msg = as_bytes("set_weights");
  EXPECT_TRUE(crypto::verify(cold->public_key(), msg, cold->sign(msg)));
}

TEST_F(WalletKeystore, ColdkeypubHoldsTheAddress) {
  auto made = create("alice", "miner1");
  EXPECT_EQ(read_text(dir("alice") / "coldkeypub.txt"), crypto::to_ss58(*made.coldkey.key) + "\n");
  EXPECT_EQ(made.hotkeys.at(0).name, "miner1");
  EXPECT_TRUE(fs::exists(hotkey("alice", "miner1")));
}

TEST_F(WalletKeystore, ListIsSortedAndEmptyBeforeTheFirstWallet) {
  auto none = store().list();
  ASSERT_TRUE(none) << none.error().to_string();
  EXPECT_TRUE(none->empty());
  for (auto name : {"carol", "alice", "bob"}) create(name);
  auto listed = store().list();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].name, "alice");
  EXPECT_EQ((*listed)[1].name, "bob");
  EXPECT_EQ((*listed)[2].name, "carol");
}

TEST_F(WalletKeystore, CreatingOverAnExistingWalletChangesNothing) {
  create("alice");
  auto cold = snapshot(coldkey("alice"));
  auto pub = snapshot(dir("alice") / "coldkeypub.txt");
  auto hot = snapshot(hotkey("alice", "default"));

  auto again = store().create("alice", "another password");
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().is(errc::already_exists)) << again.error().to_string();
  EXPECT_TRUE(mentions(again.error(), dir("alice").string()));
  EXPECT_EQ(snapshot(coldkey("alice")), cold);
  EXPECT_EQ(snapshot(dir("alice") / "coldkeypub.txt"), pub);
  EXPECT_EQ(snapshot(hotkey("alice", "default")), hot);
  EXPECT_TRUE(store().load_coldkey("alice", password));
  EXPECT_EQ(entries(root_), std::set<std::string>{"alice"});  // no temporary left over
}

TEST_F(WalletKeystore, AStrayDirectoryIsNotReplaced) {
  fs::create_directories(dir("bob"));
  write_text(dir("bob") / "notes", "mine");
  auto made = store().create("bob", password);
  ASSERT_FALSE(made);
  EXPECT_TRUE(made.error().is(errc::already_exists));
  EXPECT_EQ(entries(dir("bob")), std::set<std::string>{"notes"});
}

TEST_F(WalletKeystore, MissingWalletOrHotkeyIsNotFoundAndNamed) {
  auto expect_missing = [&](const error& e, std::string_view name) {
    EXPECT_TRUE(e.is(errc::not_found)) << e.to_string();
    EXPECT_TRUE(mentions(e, name)) << e.to_string();
  };
  expect_missing(store().show("nobody").error(), "'nobody'");
  expect_missing(store().load_coldkey("nobody", password).error(), root_.string());
  expect_missing(store().load_hotkey("nobody", "default").error(), "'nobody'");
  expect_missing(store().regen_hotkey("nobody", "h", std::nullopt, if_exists::fail).error(),
                 "'nobody'");
  EXPECT_FALSE(fs::exists(dir("nobody")));

  create("alice");
  auto ghost = store().load_hotkey("alice", "ghost");
  ASSERT_FALSE(ghost);
  expect_missing(ghost.error(), "'ghost'");
  EXPECT_TRUE(mentions(ghost.error(), hotkey("alice", "ghost").string()));
}

TEST_F(WalletKeystore, BadNamesAreRejectedBeforeAnythingIsWritten) {
  for (auto name : {"../evil", "a/b", "", "..", "white space"}) {
    auto made = store().create(name, password);
    ASSERT_FALSE(made) << name;
    EXPECT_TRUE(made.error().is(errc::bad_name)) << made.error().to_string();
  }
  auto bad_hot = store().create("alice", password, "../../etc");
  ASSERT_FALSE(bad_hot);
  EXPECT_TRUE(bad_hot.error().is(errc::bad_name));
  EXPECT_FALSE(fs::exists(root_));  // not even the root was made

  create("alice");
  auto regen = store().regen_hotkey("alice", "..", std::nullopt, if_exists::overwrite);
  ASSERT_FALSE(regen);
  EXPECT_TRUE(regen.error().is(errc::bad_name));
  EXPECT_TRUE(store().load_hotkey("alice", "x/y").error().is(errc::bad_name));
}

TEST_F(WalletKeystore, RegenHotkeyFromASeedRestoresThatKey) {
  create("alice");
  auto restored = store().regen_hotkey("alice", "restored", rfc_seed_value(), if_exists::fail);
  ASSERT_TRUE(restored) << restored.error().to_string();
  EXPECT_EQ(restored->key->hex(), rfc_public);
  auto loaded = store().load_hotkey("alice", "restored");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->public_key().hex(), rfc_public);
  EXPECT_EQ(to_hex(loaded->seed().view()), rfc_seed);
}

TEST_F(WalletKeystore, RegenHotkeyReplacesOnlyWhenAskedTo) {
  create("alice");
  auto before = snapshot(hotkey("alice", "default"));
  auto refused = store().regen_hotkey("alice", "default", rfc_seed_value(), if_exists::fail);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().is(errc::already_exists)) << refused.error().to_string();
  EXPECT_TRUE(mentions(refused.error(), hotkey("alice", "default").string()));
  EXPECT_EQ(snapshot(hotkey("alice", "default")), before);

  auto replaced = store().regen_hotkey("alice", "default", rfc_seed_value(), if_exists::overwrite);
  ASSERT_TRUE(replaced) << replaced.error().to_string();
  EXPECT_EQ(store().load_hotkey("alice", "default")->public_key().hex(), rfc_public);
  EXPECT_EQ(entries(dir("alice") / "hotkeys"), std::set<std::string>{"default"});
}

TEST_F(WalletKeystore, FreshHotkeysDifferAndAreListedByName) {
  auto made = create("alice");
  auto b = store().regen_hotkey("alice", "b", std::nullopt, if_exists::fail);
  auto a = store().regen_hotkey("alice", "a", std::nullopt, if_exists::fail);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a->key, *b->key);
  EXPECT_NE(*a->key, *made.hotkeys[0].key);
  auto shown = store().show("alice");
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->hotkeys.size(), 3u);
  EXPECT_EQ(shown->hotkeys[0].name, "a");
  EXPECT_EQ(shown->hotkeys[1].name, "b");
  EXPECT_EQ(shown->hotkeys[2].name, "default");
  EXPECT_EQ(*shown->hotkeys[0].key, *a->key);
}

// Modes come from the code, not the umask: neither one that would add bits (0) nor one that
// would take the owner's away (0277) changes them.
TEST_F(WalletKeystore, FilesAre0600AndDirectories0700WhateverTheUmask) {
  for (mode_t mask : {mode_t{0}, mode_t{0277}}) {
    fs::remove_all(root_);
    auto old = ::umask(mask);
    auto made = store().create("alice", password);
    auto regen = store().regen_hotkey("alice", "extra", std::nullopt, if_exists::fail);
    ::umask(old);
    ASSERT_TRUE(made) << made.error().to_string();
    ASSERT_TRUE(regen) << regen.error().to_string();
    EXPECT_EQ(mode_of(root_), 0700u) << "umask " << mask;
    EXPECT_EQ(mode_of(dir("alice")), 0700u);
    EXPECT_EQ(mode_of(dir("alice") / "hotkeys"), 0700u);
    EXPECT_EQ(mode_of(coldkey("alice")), 0600u);
    EXPECT_EQ(mode_of(dir("alice") / "coldkeypub.txt"), 0600u);
    EXPECT_EQ(mode_of(hotkey("alice", "default")), 0600u);
    EXPECT_EQ(mode_of(hotkey("alice", "extra")), 0600u);
    EXPECT_EQ(entries(dir("alice")),
              (std::set<std::string>{"coldkey", "coldkeypub.txt", "hotkeys"}));
  }
}

TEST_F(WalletKeystore, ListShowsBrokenWalletsWithTheirProblems) {
  create("alice");
  create("bob");
  fs::remove(dir("bob") / "coldkeypub.txt");
  write_text(hotkey("bob", "default"), "{\"format\":");
  fs::create_directories(dir("carol"));           // an empty wallet directory
  fs::create_directories(root_ / ".dave+x1Y2z3");  // a temporary left by a crash
  write_text(root_ / "notes.txt", "not a wallet");

  auto listed = store().list();
  ASSERT_TRUE(listed) << listed.error().to_string();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_TRUE((*listed)[0].healthy());
  const auto& bob = (*listed)[1];
  EXPECT_FALSE(bob.healthy());
  EXPECT_TRUE(bob.coldkey.key.error().is(errc::not_found));
  ASSERT_EQ(bob.hotkeys.size(), 1u);
  EXPECT_TRUE(bob.hotkeys[0].key.error().is(errc::corrupt_file));
  const auto& carol = (*listed)[2];
  EXPECT_EQ(carol.name, "carol");
  ASSERT_EQ(carol.problems.size(), 1u);
  EXPECT_TRUE(carol.problems[0].is(errc::not_found));
  EXPECT_TRUE(carol.first_problem()->is(errc::not_found));
}

TEST_F(WalletKeystore, CheckOpensTheColdkeyAndReportsBrokenHotkeys) {
  create("alice");
  auto good = store().check("alice", password);
  ASSERT_TRUE(good) << good.error().to_string();
  EXPECT_TRUE(good->healthy());

  auto wrong = store().check("alice", "not it");
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().is(errc::wrong_password));

  write_text(hotkey("alice", "default"), "");
  auto broken = store().check("alice", password);
  ASSERT_TRUE(broken);
  EXPECT_FALSE(broken->healthy());
  EXPECT_TRUE(broken->first_problem()->is(errc::corrupt_file));
}

}  // namespace
}  // namespace synod::wallet::testing
