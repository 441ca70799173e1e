#pragma once
/// Error codes of the crypto component.

#include "synod/base/error.hpp"

namespace synod::crypto {

enum class errc {
  init_failed = 1,   ///< libsodium could not initialise (no entropy source)
  bad_key,           ///< a key of the wrong length or not a valid curve point
  bad_address,       ///< an SS58 address with bad characters, length, prefix or checksum
  corrupt_box,       ///< an encrypted key blob that is truncated or fails its checksum
  wrong_password,    ///< the blob is intact but the password does not open it
  kdf_failed,        ///< Argon2id ran out of memory or got limits outside libsodium's bounds
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::crypto
