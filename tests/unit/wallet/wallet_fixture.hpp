#pragma once
// Shared by the wallet tests: a keystore over a fresh temporary root, and file snapshots that
// prove a failed operation left a file exactly as it was (bytes, inode and modification time).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "synod/wallet/keystore.hpp"

namespace synod::wallet::testing {

namespace fs = std::filesystem;

inline constexpr std::string_view password = "correct horse battery staple";

struct file_state {
  std::string content;
  ino_t inode = 0;
  long mtime_sec = 0;
  long mtime_nsec = 0;
  friend bool operator==(const file_state&, const file_state&) = default;
};

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const fs::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline file_state snapshot(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return {read_text(p), st.st_ino, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
}

inline unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

class WalletTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "synod-wallet-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
    root_ = base_ / "wallets";  // not there yet: the keystore makes it
  }
  void TearDown() override { fs::remove_all(base_); }

  [[nodiscard]] keystore store() const { return keystore({root_, crypto::kdf_strength::minimal}); }

  wallet_info create(std::string_view name, std::string_view hotkey = "default") {
    auto info = store().create(name, password, hotkey);
    EXPECT_TRUE(info) << info.error().to_string();
    return *info;
  }

  [[nodiscard]] fs::path dir(std::string_view wallet) const { return root_ / wallet; }
  [[nodiscard]] fs::path coldkey(std::string_view wallet) const { return dir(wallet) / "coldkey"; }
  [[nodiscard]] fs::path hotkey(std::string_view wallet, std::string_view name) const {
    return dir(wallet) / "hotkeys" / name;
  }

  fs::path base_;
  fs::path root_;
};

}  // namespace synod::wallet::testing
