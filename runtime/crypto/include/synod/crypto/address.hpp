#pragma once
/// SS58 addresses (Substrate's format, network prefix 42, so they read like Bittensor's "5..."):
/// base58(prefix || public key || first two bytes of blake2b-512("SS58PRE" || prefix || key)).
/// The checksum catches typos before any transaction is signed to a wrong key.

#include <string>
#include <string_view>

#include "synod/crypto/keys.hpp"

namespace synod::crypto {

inline constexpr std::uint8_t ss58_prefix = 42;

std::string to_ss58(const public_key& key);

/// Errors: errc::bad_address naming what is wrong (character, length, prefix, checksum).
result<public_key> from_ss58(std::string_view address);

/// Accepts an SS58 address or 64 hex digits.
result<public_key> parse_public_key(std::string_view text);

}  // namespace synod::crypto
