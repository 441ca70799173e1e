#include "synod/base/bytes.hpp"

#include "synod/base/errc.hpp"

namespace synod {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string to_hex(byte_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(data.size() * 2, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0x0f];
  }
  return out;
}

result<bytes> from_hex(std::string_view text) {
  if (text.size() % 2 != 0)
    return error(errc::bad_hex, "odd number of hex digits (" + std::to_string(text.size()) + ")");
  bytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(text[2 * i]);
    int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return error(errc::bad_hex, "not a hex digit at position " +
                                      std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

template <std::size_t N>
result<fixed_bytes<N>> fixed_bytes<N>::from_view(byte_view in) {
  if (in.size() != N)
    return error(errc::bad_hex, "expected " + std::to_string(N) + " bytes, got " +
                                    std::to_string(in.size()));
  fixed_bytes out;
  std::copy(in.begin(), in.end(), out.data.begin());
  return out;
}

template <std::size_t N>
result<fixed_bytes<N>> fixed_bytes<N>::from_hex(std::string_view text) {
  if (text.size() != 2 * N)
    return error(errc::bad_hex, "expected " + std::to_string(2 * N) + " hex digits, got " +
                                    std::to_string(text.size()));
  auto raw = synod::from_hex(text);
  if (!raw) return std::move(raw).error();
  return from_view(*raw);
}

// The sizes Synod uses: hashes and public keys (32), signatures and secret keys (64).
template struct fixed_bytes<32>;
template struct fixed_bytes<64>;

}  // namespace synod
