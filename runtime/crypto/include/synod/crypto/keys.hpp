#pragma once
/// ed25519 keys, signing and verification (libsodium; strict verification: non-canonical and
/// small-order encodings are rejected, which consensus relies on).

#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"

namespace synod::crypto {

using public_key = fixed_bytes<32>;
using signature = fixed_bytes<64>;

/// The 32-byte seed a keypair is derived from. Wiped from memory on destruction.
class seed {
 public:
  seed() = default;
  explicit seed(const std::array<std::uint8_t, 32>& raw) noexcept : raw_(raw) {}
  seed(const seed&) = default;
  seed& operator=(const seed&) = default;
  ~seed();

  /// A fresh seed from the OS entropy source.
  static seed random();
  /// Exactly 32 bytes; errc::bad_key otherwise.
  static result<seed> from_view(byte_view raw);

  [[nodiscard]] byte_view view() const noexcept { return {raw_.data(), raw_.size()}; }

 private:
  std::array<std::uint8_t, 32> raw_{};
};

/// An ed25519 signing key with its public half. The secret part is wiped on destruction.
class keypair {
 public:
  /// Deterministic: the same seed always gives the same keys.
  static keypair from_seed(const seed& s);
  static keypair generate() { return from_seed(seed::random()); }

  keypair(const keypair&) = default;
  keypair& operator=(const keypair&) = default;
  ~keypair();

  [[nodiscard]] const crypto::public_key& public_key() const noexcept { return public_; }
  [[nodiscard]] crypto::seed seed() const;

  /// Detached ed25519 signature over `message`.
  [[nodiscard]] signature sign(byte_view message) const noexcept;

 private:
  keypair() = default;
  std::array<std::uint8_t, 64> secret_{};  // libsodium layout: seed || public key
  crypto::public_key public_;
};

/// True when `sig` is a valid signature of `message` by `key`. Thread-safe.
[[nodiscard]] bool verify(const public_key& key, byte_view message, const signature& sig) noexcept;

}  // namespace synod::crypto
