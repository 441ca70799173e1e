#pragma once
/// Error codes of the base component (parsing of hex, amounts and other plain values).

#include "synod/base/error.hpp"

namespace synod {

enum class errc {
  bad_hex = 1,    ///< not an even-length string of hex digits, or not the expected length
  bad_amount,     ///< not a decimal TAO amount with at most 9 fractional digits
  overflow,       ///< a value does not fit its integer type
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod
