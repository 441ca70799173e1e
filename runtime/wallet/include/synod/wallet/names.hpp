#pragma once
/// Names of wallets and hotkeys. They become file and directory names, so they are kept to a
/// portable set that cannot climb out of the wallet root or hide among temporary files.

#include <cstddef>
#include <string>
#include <string_view>

#include "synod/base/result.hpp"

namespace synod::wallet {

inline constexpr std::size_t max_name_length = 64;

/// True for 1..64 characters from [A-Za-z0-9._-], other than "." and "..".
[[nodiscard]] bool is_valid_name(std::string_view name) noexcept;

/// ok() for a valid name; else errc::bad_name naming `kind` ("wallet", "hotkey") and the name.
status check_name(std::string_view kind, std::string_view name);

/// "'name'" for messages, with bytes outside printable ASCII written as \xNN.
std::string quoted_name(std::string_view name);

}  // namespace synod::wallet
