#include "synod/crypto/keys.hpp"

#include <sodium.h>

#include <algorithm>

#include "sodium_init.hpp"
#include "synod/crypto/errc.hpp"

namespace synod::crypto {

seed::~seed() { sodium_memzero(raw_.data(), raw_.size()); }

seed seed::random() {
  detail::ensure_sodium();
  std::array<std::uint8_t, 32> raw;
  randombytes_buf(raw.data(), raw.size());
  seed s(raw);
  sodium_memzero(raw.data(), raw.size());
  return s;
}

result<seed> seed::from_view(byte_view raw) {
  if (raw.size() != 32)
    return error(errc::bad_key, "a key seed is 32 bytes, got " + std::to_string(raw.size()));
  std::array<std::uint8_t, 32> copy;
  std::copy(raw.begin(), raw.end(), copy.begin());
  seed s(copy);
  sodium_memzero(copy.data(), copy.size());
  return s;
}

keypair keypair::from_seed(const crypto::seed& s) {
  detail::ensure_sodium();
  keypair kp;
  crypto_sign_seed_keypair(kp.public_.data.data(), kp.secret_.data(), s.view().data());
  return kp;
}

keypair::~keypair() { sodium_memzero(secret_.data(), secret_.size()); }

crypto::seed keypair::seed() const {
  std::array<std::uint8_t, 32> raw;
  std::copy_n(secret_.begin(), 32, raw.begin());
  crypto::seed s(raw);
  sodium_memzero(raw.data(), raw.size());
  return s;
}

signature keypair::sign(byte_view message) const noexcept {
  signature sig;
  crypto_sign_detached(sig.data.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool verify(const public_key& key, byte_view message, const signature& sig) noexcept {
  detail::ensure_sodium();
  return crypto_sign_verify_detached(sig.data.data(), message.data(), message.size(),
                                     key.data.data()) == 0;
}

}  // namespace synod::crypto
