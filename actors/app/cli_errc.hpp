#pragma once
// Error codes of the command line itself: what goes wrong before runtime/ is called.

#include "synod/base/error.hpp"

namespace synod::app {

enum class errc {
  no_password = 1,    ///< no --password-file, no SYNOD_WALLET_PASSWORD and no terminal to ask on
  password_mismatch,  ///< the two passwords typed at creation differ
  empty_password,     ///< a new coldkey would be sealed under an empty password
  unreadable_file,    ///< a file named on the command line cannot be read
  no_wallet_path,     ///< no --wallet-path, no SYNOD_WALLET_PATH and no HOME
  bad_flag,           ///< a flag's value cannot be what it names (an address, a percentage)
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::app
