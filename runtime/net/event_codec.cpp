#include "synod/net/codec.hpp"
#include "synod/schemas/gateway_generated.h"
#include "wire.hpp"

namespace synod::net {

bytes encode(const block_event& e) {
  std::vector<fb::Bytes32> ids;
  ids.reserve(e.tx_ids.size());
  for (const auto& id : e.tx_ids) ids.push_back(detail::to_fb(id));
  flatbuffers::FlatBufferBuilder b(128 + 32 * ids.size());
  auto id_vec = b.CreateVectorOfStructs(ids);
  auto hash = detail::to_fb(e.hash);
  b.Finish(fb::CreateBlockEvent(b, e.height, &hash, e.tx_count, id_vec));
  return detail::finished(b);
}

result<block_event> decode_block_event(byte_view frame, std::size_t max_frame) {
  return detail::read_verified<fb::BlockEvent>(
      frame, max_frame, "block event", [](const fb::BlockEvent& e) -> result<block_event> {
        block_event out{e.height(), detail::from_fb(*e.hash()), e.tx_count(), {}};
        if (const auto* ids = e.tx_ids()) {
          out.tx_ids.reserve(ids->size());
          for (const auto* id : *ids) out.tx_ids.push_back(detail::from_fb(*id));
        }
        return out;
      });
}

}  // namespace synod::net
