#pragma once
/// Error codes of the wallet component. Messages name the wallet or hotkey and the file.

#include "synod/base/error.hpp"

namespace synod::wallet {

enum class errc {
  not_found = 1,   ///< no such wallet, hotkey or key file
  already_exists,  ///< creating a wallet or hotkey that is already there (nothing was written)
  bad_name,        ///< a wallet or hotkey name outside [A-Za-z0-9._-]{1,64}, or "." / ".."
  corrupt_file,    ///< a key file that is truncated, damaged, malformed or disagrees with itself
  wrong_password,  ///< the coldkey file is intact but the password does not open it
  io_error,        ///< the operating system refused a read, write or directory operation
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::wallet
