#include "synod/crypto/address.hpp"

#include <sodium.h>

#include <algorithm>

#include "synod/base/errc.hpp"
#include "synod/crypto/errc.hpp"

namespace synod::crypto {
namespace {

constexpr std::string_view base58_alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t payload_size = 1 + 32 + 2;  // prefix, key, checksum

std::array<std::uint8_t, 2> checksum(const std::uint8_t* prefix_and_key) {
  static constexpr std::string_view tag = "SS58PRE";
  std::uint8_t full[64];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof full);
  crypto_generichash_update(&st, reinterpret_cast<const std::uint8_t*>(tag.data()), tag.size());
  crypto_generichash_update(&st, prefix_and_key, 33);
  crypto_generichash_final(&st, full, sizeof full);
  return {full[0], full[1]};
}

// Base58 by repeated division; inputs are 35 bytes, so the quadratic cost is irrelevant.
std::string base58_encode(const std::uint8_t* data, std::size_t n) {
  std::vector<std::uint8_t> digits;  // little-endian base-58 digits
  for (std::size_t i = 0; i < n; ++i) {
    unsigned carry = data[i];
    for (auto& d : digits) {
      carry += static_cast<unsigned>(d) << 8;
      d = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry) { digits.push_back(static_cast<std::uint8_t>(carry % 58)); carry /= 58; }
  }
  std::string out;
  for (std::size_t i = 0; i < n && data[i] == 0; ++i) out.push_back('1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(base58_alphabet[*it]);
  return out;
}

result<bytes> base58_decode(std::string_view text) {
  bytes out;  // little-endian base-256 digits
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto pos = base58_alphabet.find(text[i]);
    if (pos == std::string_view::npos)
      return error(errc::bad_address, "character '" + std::string(1, text[i]) +
                                          "' at position " + std::to_string(i) +
                                          " is not base58");
    unsigned carry = static_cast<unsigned>(pos);
    for (auto& b : out) {
      carry += static_cast<unsigned>(b) * 58;
      b = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry) { out.push_back(static_cast<std::uint8_t>(carry & 0xff)); carry >>= 8; }
    if (out.size() > 64) return error(errc::bad_address, "address is too long");
  }
  for (std::size_t i = 0; i < text.size() && text[i] == '1'; ++i) out.push_back(0);
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

std::string to_ss58(const public_key& key) {
  std::array<std::uint8_t, payload_size> payload{};
  payload[0] = ss58_prefix;
  std::copy(key.data.begin(), key.data.end(), payload.begin() + 1);
  auto sum = checksum(payload.data());
  payload[33] = sum[0];
  payload[34] = sum[1];
  return base58_encode(payload.data(), payload.size());
}

result<public_key> from_ss58(std::string_view address) {
  auto raw = base58_decode(address);
  if (!raw) return std::move(raw).error();
  if (raw->size() != payload_size)
    return error(errc::bad_address, "'" + std::string(address) + "' decodes to " +
                                        std::to_string(raw->size()) + " bytes, not " +
                                        std::to_string(payload_size));
  if ((*raw)[0] != ss58_prefix)
    return error(errc::bad_address, "'" + std::string(address) + "' has network prefix " +
                                        std::to_string((*raw)[0]) + ", expected " +
                                        std::to_string(ss58_prefix));
  auto sum = checksum(raw->data());
  if (sum[0] != (*raw)[33] || sum[1] != (*raw)[34])
    return error(errc::bad_address, "'" + std::string(address) + "' fails its checksum (typo?)");
  public_key key;
  std::copy_n(raw->begin() + 1, 32, key.data.begin());
  return key;
}

result<public_key> parse_public_key(std::string_view text) {
  if (text.size() == 64) {
    auto key = public_key::from_hex(text);
    if (key) return key;
  }
  return from_ss58(text);
}

}  // namespace synod::crypto
