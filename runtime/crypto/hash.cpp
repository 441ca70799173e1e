#include "synod/crypto/hash.hpp"

#include "sodium_init.hpp"

namespace synod::crypto {

hash32 blake2b_256(byte_view data) noexcept {
  hash32 out;
  crypto_generichash(out.data.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

hasher::hasher() noexcept { crypto_generichash_init(&state_, nullptr, 0, hash32::size()); }

hasher& hasher::update(byte_view data) noexcept {
  crypto_generichash_update(&state_, data.data(), data.size());
  return *this;
}

hasher& hasher::update_u64_le(std::uint64_t v) noexcept {
  std::uint8_t le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return update(le);
}

hash32 hasher::finish() noexcept {
  hash32 out;
  crypto_generichash_final(&state_, out.data.data(), out.size());
  return out;
}

}  // namespace synod::crypto
