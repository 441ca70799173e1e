#include "codec.hpp"

namespace synod::store::detail {
namespace {

void put_le(bytes& out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_le(const std::uint8_t* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

constexpr std::size_t head_size = 8 + 32 + 8 + 32;
constexpr std::size_t location_size = 8 + 4 + 1 + 2 + 8;

}  // namespace

bytes height_key(std::uint64_t height) {
  bytes out(8);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(height >> (8 * (7 - i)));
  return out;
}

bytes encode_head(const head_info& h) {
  bytes out;
  out.reserve(head_size);
  put_le(out, h.height, 8);
  out.insert(out.end(), h.hash.data.begin(), h.hash.data.end());
  put_le(out, h.slot, 8);
  out.insert(out.end(), h.digest.data.begin(), h.digest.data.end());
  return out;
}

std::optional<head_info> decode_head(byte_view raw) {
  if (raw.size() != head_size) return std::nullopt;
  head_info h;
  h.height = get_le(raw.data(), 8);
  std::copy_n(raw.data() + 8, 32, h.hash.data.begin());
  h.slot = get_le(raw.data() + 40, 8);
  std::copy_n(raw.data() + 48, 32, h.digest.data.begin());
  return h;
}

bytes encode_location(const tx_location& l) {
  bytes out;
  out.reserve(location_size);
  put_le(out, l.height, 8);
  put_le(out, l.index, 4);
  out.push_back(l.failed ? 1 : 0);
  put_le(out, l.failure_code, 2);
  put_le(out, l.fee, 8);
  return out;
}

std::optional<tx_location> decode_location(byte_view raw) {
  if (raw.size() != location_size || raw[12] > 1) return std::nullopt;
  tx_location l;
  l.height = get_le(raw.data(), 8);
  l.index = static_cast<std::uint32_t>(get_le(raw.data() + 8, 4));
  l.failed = raw[12] == 1;
  l.failure_code = static_cast<std::uint16_t>(get_le(raw.data() + 13, 2));
  l.fee = get_le(raw.data() + 15, 8);
  return l;
}

}  // namespace synod::store::detail
