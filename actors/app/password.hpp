#pragma once
// Where a wallet password comes from, in order: --password-file FILE (its first line), the
// SYNOD_WALLET_PASSWORD environment variable (for unattended use), else a prompt on the
// terminal with echo off. Without a terminal and without the other two it fails rather than
// waiting on a stdin nobody will type into.

#include <string>
#include <string_view>

#include "synod/base/result.hpp"

namespace synod::app {

inline constexpr const char* password_env = "SYNOD_WALLET_PASSWORD";

/// A password, zeroed in memory when dropped.
struct secret_string {
  std::string text;

  explicit secret_string(std::string t) : text(std::move(t)) {}
  secret_string(secret_string&&) noexcept = default;
  secret_string& operator=(secret_string&&) noexcept = default;
  ~secret_string();
};

enum class password_use {
  open,    ///< asks once
  create,  ///< asks twice when prompting, and refuses an empty password from any source
};

/// `file` is the --password-file value ("" when not given); `wallet` names the wallet in the
/// prompt. Errors: cli::unreadable_file, no_password, password_mismatch, empty_password.
result<secret_string> read_password(const std::string& file, std::string_view wallet,
                                    password_use use);

}  // namespace synod::app
