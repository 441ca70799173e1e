#pragma once
// Private to the chain component: records as the raw bytes of the fixed-layout structs of
// schemas/state.fbs (little-endian, padding zeroed by their constructors), and key building.

#include <cstring>
#include <optional>
#include <vector>

#include "synod/chain/state.hpp"

namespace synod::chain::detail {

template <class Record>
std::optional<Record> read_record(const state_view& s, const bytes& key) {
  auto raw = s.get(key);
  if (!raw || raw->size() != sizeof(Record)) return std::nullopt;
  Record r;
  std::memcpy(static_cast<void*>(&r), raw->data(), sizeof r);
  return r;
}

template <class Record>
void write_record(overlay& s, const bytes& key, const Record& r) {
  s.put(key, byte_view(reinterpret_cast<const std::uint8_t*>(&r), sizeof r));
}

/// A value made of whole records laid end to end (rows, commit queues).
template <class Record>
std::vector<Record> read_records(byte_view raw) {
  std::vector<Record> out(raw.size() / sizeof(Record));
  if (!out.empty()) std::memcpy(static_cast<void*>(out.data()), raw.data(), out.size() * sizeof(Record));
  return out;
}

template <class Record>
void append_record(bytes& out, const Record& r) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&r);
  out.insert(out.end(), p, p + sizeof r);
}

/// Appends a u16 big-endian, so keys sort by number.
inline void append_be16(bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

}  // namespace synod::chain::detail
