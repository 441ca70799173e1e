#pragma once
// Private to the chain component: fixed-size byte strings to and from the FlatBuffers structs
// of schemas/common.fbs.

#include <algorithm>

#include "synod/base/bytes.hpp"
#include "synod/schemas/common_generated.h"

namespace synod::chain::detail {

template <std::size_t N, class FbStruct>
fixed_bytes<N> from_fb(const FbStruct& s) {
  fixed_bytes<N> out;
  std::copy(s.v()->begin(), s.v()->end(), out.data.begin());
  return out;
}

inline fb::Bytes32 to_fb(const fixed_bytes<32>& k) {
  return fb::Bytes32(flatbuffers::span<const std::uint8_t, 32>(k.data.data(), 32));
}

inline fb::Bytes64 to_fb(const fixed_bytes<64>& s) {
  return fb::Bytes64(flatbuffers::span<const std::uint8_t, 64>(s.data.data(), 64));
}

}  // namespace synod::chain::detail
