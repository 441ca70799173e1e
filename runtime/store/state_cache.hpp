#pragma once
// state_cache: recent state values in memory, in front of RocksDB. A block reads mostly keys
// that recent blocks wrote or read (its signers' and payees' accounts, the totals), and a
// memtable lookup costs microseconds where this costs a hash.
//
// Snapshots stay exact: each entry holds the newest committed value of its key and the height
// from which that value has held. A snapshot of height H may use an entry valid from H or
// earlier (a later write would have moved the entry past H); for any other key it reads
// RocksDB and offers what it read back, which is kept only while H is still the newest height.

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "synod/chain/state.hpp"

namespace synod::store::detail {

class state_cache {
 public:
  /// At most `max_entries` keys; when full it starts over (a miss only costs a RocksDB read).
  state_cache(std::uint64_t head_height, std::size_t max_entries);

  /// The key's value at snapshot `height` if the cache can tell: an outer nullopt is a miss,
  /// an inner nullopt means the key is absent from the state.
  [[nodiscard]] std::optional<std::optional<bytes>> find(byte_view key, std::uint64_t height) const;

  /// What a snapshot of `height` read from RocksDB.
  void remember(byte_view key, std::uint64_t height, const std::optional<bytes>& value);

  /// The block of `height` (the new head) wrote `diff`.
  void commit(const chain::state_diff& diff, std::uint64_t height);

  [[nodiscard]] std::size_t size() const;

 private:
  struct entry {
    std::optional<bytes> value;
    std::uint64_t since = 0;  // the value holds for snapshots of this height and later
  };
  struct key_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, entry, key_hash, std::equal_to<>> entries_;
  std::uint64_t head_;
  std::size_t max_;
};

}  // namespace synod::store::detail
