#pragma once
/// Error codes of the config component. Messages start with "<source>:<line>:<column>:" where
/// a place in the file is known, then the key path ("balances[2].amount") and what is wrong.

#include "synod/base/error.hpp"

namespace synod::config {

enum class errc {
  not_found = 1,  ///< the config file does not exist
  io_error,       ///< the operating system refused to open or read the file
  too_large,      ///< the file is larger than the reader accepts (see the function's contract)
  syntax,         ///< not valid TOML (toml++'s description, with line and column)
  unknown_key,    ///< a key the format does not have, most often a typo
  missing_key,    ///< a required key is absent
  bad_value,      ///< a value of the wrong type, out of range, or not a valid key or amount
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::config
