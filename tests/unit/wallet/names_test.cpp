#include "synod/wallet/names.hpp"

#include <gtest/gtest.h>

#include "synod/wallet/errc.hpp"

namespace synod::wallet {
namespace {

TEST(WalletNames, AcceptsPortableNames) {
  for (std::string_view name : {"default", "a", "Miner_01", "my-wallet.v2", "...", ".hidden"})
    EXPECT_TRUE(is_valid_name(name)) << name;
  EXPECT_TRUE(is_valid_name(std::string(max_name_length, 'x')));
}

TEST(WalletNames, RejectsWhatCouldEscapeOrConfuseTheDirectory) {
  using namespace std::string_view_literals;
  for (std::string_view name : {""sv, "."sv, ".."sv, "a/b"sv, "../up"sv, "/abs"sv, "a b"sv,
                                "x+y"sv, "tab\t"sv, "caf\xc3\xa9"sv, "nul\0byte"sv})
    EXPECT_FALSE(is_valid_name(name)) << quoted_name(name);
  EXPECT_FALSE(is_valid_name(std::string(max_name_length + 1, 'x')));
}

TEST(WalletNames, ErrorNamesTheKindAndShowsControlBytes) {
  auto bad = check_name("hotkey", "a\x01/b");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().is(errc::bad_name));
  EXPECT_NE(bad.error().message().find("hotkey name 'a\\x01/b'"), std::string::npos)
      << bad.error().message();
  EXPECT_TRUE(check_name("wallet", "alice"));
}

}  // namespace
}  // namespace synod::wallet
