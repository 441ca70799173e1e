#include "wire.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "synod/net/errc.hpp"

namespace synod::net::detail {

fb::Bytes32 to_fb(const hash32& h) {
  return fb::Bytes32(flatbuffers::span<const std::uint8_t, 32>(h.data.data(), 32));
}

hash32 from_fb(const fb::Bytes32& s) {
  hash32 out;
  std::copy(s.v()->begin(), s.v()->end(), out.data.begin());
  return out;
}

bytes finished(const flatbuffers::FlatBufferBuilder& b) {
  return bytes(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

status check_size(std::size_t size, std::size_t max_frame, std::string_view what) {
  if (size <= max_frame) return ok();
  std::string msg(what);
  msg.append(" frame is ").append(std::to_string(size)).append(" bytes, the limit is ");
  msg.append(std::to_string(max_frame));
  return error(errc::too_large, std::move(msg));
}

byte_view aligned(byte_view frame, bytes& copy) {
  // Heap blocks from operator new are aligned for any scalar, so the copy always is.
  if (reinterpret_cast<std::uintptr_t>(frame.data()) % alignof(std::uint64_t) == 0) return frame;
  copy.assign(frame.begin(), frame.end());
  return copy;
}

error malformed(std::string_view what, std::string_view why) {
  std::string msg(what);
  msg.append(" frame ").append(why);
  return error(errc::malformed, std::move(msg));
}

}  // namespace synod::net::detail
