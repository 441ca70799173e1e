#pragma once
// Private to the wallet component: the encrypted coldkey file and its public address file.

#include <filesystem>
#include <string_view>

#include "synod/crypto/keys.hpp"
#include "synod/crypto/password_box.hpp"

namespace synod::wallet::detail {

/// The coldkey file's bytes: `seed` sealed under `password`. Errors: crypto::errc::kdf_failed.
result<bytes> seal_coldkey(const crypto::seed& seed, std::string_view password,
                           crypto::kdf_strength strength);

/// Reads and opens the coldkey file. Errors: not_found, io_error, corrupt_file (truncated,
/// damaged, wrong size inside), wrong_password, crypto::errc::kdf_failed; each names `path`.
result<crypto::keypair> open_coldkey(const std::filesystem::path& path, std::string_view password);

/// The text of coldkeypub.txt: the SS58 address and a newline.
bytes coldkeypub_text(const crypto::public_key& key);

/// Reads coldkeypub.txt. Errors: not_found, io_error, corrupt_file (not an SS58 address).
result<crypto::public_key> read_coldkeypub(const std::filesystem::path& path);

}  // namespace synod::wallet::detail
