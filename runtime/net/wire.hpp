#pragma once
/// Private helpers of the codec sources: hash conversion and the one checked way into a frame.

#include <flatbuffers/flatbuffers.h>

#include <string_view>

#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"
#include "synod/schemas/common_generated.h"

namespace synod::net::detail {

fb::Bytes32 to_fb(const hash32& h);
hash32 from_fb(const fb::Bytes32& s);

/// The finished buffer of `b`, copied out.
bytes finished(const flatbuffers::FlatBufferBuilder& b);

/// errc::too_large naming `what` when `size` is over `max_frame`.
status check_size(std::size_t size, std::size_t max_frame, std::string_view what);

/// `frame` itself when it is 8-aligned, else a copy of it kept in `copy`. FlatBuffers reads
/// scalars in place, and zmq keeps small messages inside its msg_t at any alignment.
byte_view aligned(byte_view frame, bytes& copy);

error malformed(std::string_view what, std::string_view why);

/// Checks size and verifier, then calls `read(const Root&)` on the verified root; `read`
/// returns a result. The only way the codec reads untrusted bytes.
template <class Root, class Read>
auto read_verified(byte_view frame, std::size_t max_frame, std::string_view what, Read read)
    -> decltype(read(std::declval<const Root&>())) {
  SYNOD_TRY(check_size(frame.size(), max_frame, what));
  // A builder finishes every buffer at a multiple of 4 bytes (it aligns the root offset), and
  // the verifier alone would accept a frame whose trailing alignment padding was cut off.
  if (frame.size() % sizeof(flatbuffers::uoffset_t) != 0)
    return malformed(what, "is " + std::to_string(frame.size()) +
                               " bytes, not a whole buffer (a multiple of 4)");
  bytes copy;
  byte_view buf = aligned(frame, copy);
  flatbuffers::Verifier verifier(buf.data(), buf.size());
  if (!verifier.VerifyBuffer<Root>(nullptr))
    return malformed(what, "fails verification (" + std::to_string(frame.size()) + " bytes)");
  return read(*flatbuffers::GetRoot<Root>(buf.data()));
}

}  // namespace synod::net::detail
