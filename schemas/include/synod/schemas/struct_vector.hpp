#pragma once
// Reading a struct out of a vector of FlatBuffers structs from an untrusted buffer.
//
// The verifier checks a struct vector's length field (4-byte aligned) and bounds, not that its
// elements sit at their own alignment: a struct with an 8-byte field may start at any 4-byte
// offset in a crafted buffer, and calling its accessors in place is undefined behaviour (the
// fuzzer found it twice). struct_at copies element i out to an aligned value instead.

#include <cstring>

#include <flatbuffers/flatbuffers.h>

namespace synod::fb {

template <class Struct>
Struct struct_at(const flatbuffers::Vector<const Struct*>& v, flatbuffers::uoffset_t i) {
  Struct out;
  std::memcpy(static_cast<void*>(&out), v.Data() + static_cast<std::size_t>(i) * sizeof(Struct),
              sizeof(Struct));
  return out;
}

}  // namespace synod::fb
