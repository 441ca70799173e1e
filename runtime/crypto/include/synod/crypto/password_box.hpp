#pragma once
/// Password encryption of small secrets (coldkey seeds): Argon2id derives a key from the
/// password and a random salt, XSalsa20-Poly1305 (secretbox) seals the secret.
///
/// Blob layout, little-endian:
///   "SYNODBOX" | version u8 = 1 | opslimit u64 | memlimit u64 | salt[16] | nonce[24]
///   | secretbox(ciphertext + 16-byte MAC) | blake2b-256 of everything before it
/// The trailing checksum tells a damaged file (errc::corrupt_box) from a wrong password
/// (errc::wrong_password): only an intact blob reaches the MAC check.

#include <string_view>

#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"

namespace synod::crypto {

/// Argon2id cost. `interactive` is for tests and scripts; wallets default to `moderate`.
enum class kdf_strength { minimal, interactive, moderate, sensitive };

/// Seals `secret` under `password`. Errors: errc::kdf_failed (out of memory).
result<bytes> seal_with_password(byte_view secret, std::string_view password,
                                 kdf_strength strength = kdf_strength::moderate);

/// Opens a blob made by seal_with_password. Errors: errc::corrupt_box (truncated, bad magic,
/// unknown version, checksum mismatch, limits out of bounds), errc::wrong_password,
/// errc::kdf_failed. Never reads past `blob`.
result<bytes> open_with_password(byte_view blob, std::string_view password);

}  // namespace synod::crypto
