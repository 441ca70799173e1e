#pragma once
// Private to the store: fixed binary encodings of its own records (little-endian, except
// block heights used as keys, which are big-endian so RocksDB orders them numerically).

#include <optional>

#include "synod/store/database.hpp"

namespace synod::store::detail {

bytes height_key(std::uint64_t height);
bytes encode_head(const head_info& h);
std::optional<head_info> decode_head(byte_view raw);
bytes encode_location(const tx_location& l);
std::optional<tx_location> decode_location(byte_view raw);

}  // namespace synod::store::detail
