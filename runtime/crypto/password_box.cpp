#include "synod/crypto/password_box.hpp"

#include <sodium.h>

#include <cstring>

#include "sodium_init.hpp"
#include "synod/crypto/errc.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::crypto {
namespace {

constexpr std::string_view magic = "SYNODBOX";
constexpr std::uint8_t version = 1;
constexpr std::size_t salt_size = crypto_pwhash_SALTBYTES;
constexpr std::size_t nonce_size = crypto_secretbox_NONCEBYTES;
constexpr std::size_t header_size = 8 + 1 + 8 + 8 + salt_size + nonce_size;
constexpr std::size_t mac_size = crypto_secretbox_MACBYTES;
constexpr std::size_t checksum_size = 32;
// Refuse to let a file make us allocate more than this for Argon2id (libsodium's
// SENSITIVE level is 1 GiB).
constexpr std::uint64_t max_memlimit = 1ull << 30;
constexpr std::uint64_t max_opslimit = 64;

void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

void limits_for(kdf_strength s, std::uint64_t& ops, std::uint64_t& mem) {
  switch (s) {
    case kdf_strength::minimal:
      ops = crypto_pwhash_OPSLIMIT_MIN; mem = crypto_pwhash_MEMLIMIT_MIN; return;
    case kdf_strength::interactive:
      ops = crypto_pwhash_OPSLIMIT_INTERACTIVE; mem = crypto_pwhash_MEMLIMIT_INTERACTIVE; return;
    case kdf_strength::moderate:
      ops = crypto_pwhash_OPSLIMIT_MODERATE; mem = crypto_pwhash_MEMLIMIT_MODERATE; return;
    case kdf_strength::sensitive:
      ops = crypto_pwhash_OPSLIMIT_SENSITIVE; mem = crypto_pwhash_MEMLIMIT_SENSITIVE; return;
  }
}

status derive_key(std::uint8_t* key, std::string_view password, const std::uint8_t* salt,
                  std::uint64_t ops, std::uint64_t mem) {
  if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, password.data(), password.size(), salt, ops,
                    static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0)
    return error(errc::kdf_failed, "Argon2id failed (needs " + std::to_string(mem >> 20) +
                                       " MiB of memory)");
  return ok();
}

}  // namespace

result<bytes> seal_with_password(byte_view secret, std::string_view password,
                                 kdf_strength strength) {
  detail::ensure_sodium();
  std::uint64_t ops = 0, mem = 0;
  limits_for(strength, ops, mem);
  bytes blob(header_size + mac_size + secret.size() + checksum_size);
  std::uint8_t* p = blob.data();
  std::memcpy(p, magic.data(), magic.size());
  p[8] = version;
  put_u64(p + 9, ops);
  put_u64(p + 17, mem);
  std::uint8_t* salt = p + 25;
  std::uint8_t* nonce = salt + salt_size;
  randombytes_buf(salt, salt_size);
  randombytes_buf(nonce, nonce_size);

  std::uint8_t key[crypto_secretbox_KEYBYTES];
  SYNOD_TRY(derive_key(key, password, salt, ops, mem));
  crypto_secretbox_easy(p + header_size, secret.data(), secret.size(), nonce, key);
  sodium_memzero(key, sizeof key);

  std::size_t body = blob.size() - checksum_size;
  auto sum = blake2b_256({blob.data(), body});
  std::memcpy(blob.data() + body, sum.data.data(), checksum_size);
  return blob;
}

result<bytes> open_with_password(byte_view blob, std::string_view password) {
  detail::ensure_sodium();
  if (blob.size() < header_size + mac_size + checksum_size)
    return error(errc::corrupt_box, "encrypted key is truncated (" + std::to_string(blob.size()) +
                                        " bytes)");
  if (std::memcmp(blob.data(), magic.data(), magic.size()) != 0)
    return error(errc::corrupt_box, "not a Synod encrypted key (bad magic)");
  if (blob[8] != version)
    return error(errc::corrupt_box, "encrypted key has unknown format version " +
                                        std::to_string(blob[8]));
  std::size_t body = blob.size() - checksum_size;
  auto sum = blake2b_256(blob.first(body));
  if (std::memcmp(sum.data.data(), blob.data() + body, checksum_size) != 0)
    return error(errc::corrupt_box, "encrypted key is damaged (checksum mismatch)");

  std::uint64_t ops = get_u64(blob.data() + 9);
  std::uint64_t mem = get_u64(blob.data() + 17);
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > max_opslimit || mem < crypto_pwhash_MEMLIMIT_MIN ||
      mem > max_memlimit)
    return error(errc::corrupt_box, "encrypted key asks for out-of-range Argon2id limits");

  const std::uint8_t* salt = blob.data() + 25;
  const std::uint8_t* nonce = salt + salt_size;
  std::uint8_t key[crypto_secretbox_KEYBYTES];
  SYNOD_TRY(derive_key(key, password, salt, ops, mem));
  std::size_t cipher_size = body - header_size;
  bytes plain(cipher_size - mac_size);
  int rc = crypto_secretbox_open_easy(plain.data(), blob.data() + header_size, cipher_size, nonce,
                                      key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) return error(errc::wrong_password, "wrong password");
  return plain;
}

}  // namespace synod::crypto
