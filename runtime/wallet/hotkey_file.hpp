#pragma once
// Private to the wallet component: the plain hotkey file, a small versioned JSON object
//   {"format": "synod-hotkey", "version": 1, "seed": "<64 hex>", "public_key": "<64 hex>",
//    "ss58": "5..."}
// The public key and address are redundant on purpose: a reader checks that the seed derives
// them, which catches an edited or damaged file before a key signs anything.

#include <filesystem>

#include "synod/crypto/keys.hpp"

namespace synod::wallet::detail {

/// The file's bytes for `key`.
bytes encode_hotkey(const crypto::keypair& key);

/// Parses and checks a hotkey file's bytes. Errors: corrupt_file naming `path` and what is
/// wrong (not JSON, unknown format or version, missing field, bad hex, key mismatch).
result<crypto::keypair> decode_hotkey(byte_view text, const std::filesystem::path& path);

/// read_file + decode_hotkey. Errors: those two's.
result<crypto::keypair> read_hotkey(const std::filesystem::path& path);

}  // namespace synod::wallet::detail
