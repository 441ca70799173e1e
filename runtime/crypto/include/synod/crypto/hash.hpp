#pragma once
/// blake2b-256: every hash in Synod (transaction ids, chain id, state digest, plugin content).

#include <sodium/crypto_generichash.h>

#include "synod/base/bytes.hpp"

namespace synod::crypto {

/// One-shot blake2b with a 32-byte output.
hash32 blake2b_256(byte_view data) noexcept;

/// Incremental blake2b-256 for data that arrives in pieces. Not thread-safe; cheap to copy.
class hasher {
 public:
  hasher() noexcept;
  hasher& update(byte_view data) noexcept;
  hasher& update_u64_le(std::uint64_t v) noexcept;
  /// Ends the hash; the hasher must not be updated afterwards.
  hash32 finish() noexcept;

 private:
  crypto_generichash_state state_;
};

}  // namespace synod::crypto
