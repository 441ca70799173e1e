#pragma once
/// The chain state as an ordered key-value space with an order-independent digest.
///
/// Keys are short tagged byte strings (see records.hpp); values are canonical record bytes.
/// The digest is the sum, mod 2^256, of blake2b-256(len(key) u32 LE || key || value) over
/// every entry: it does not depend on write order, and a write updates it in O(1) by
/// subtracting the old entry's hash and adding the new one. Every node can compare digests.

#include <map>
#include <optional>
#include <unordered_map>

#include "synod/base/bytes.hpp"

namespace synod::chain {

/// Writes of one block (or one transaction): key -> new value, or nullopt for a deletion.
/// Ordered, so iterating it is deterministic.
using state_diff = std::map<bytes, std::optional<bytes>, bytes_less>;

/// The order-independent digest accumulator described above.
class state_digest {
 public:
  state_digest() = default;
  explicit state_digest(const hash32& value) noexcept;

  void add(byte_view key, byte_view value) noexcept;
  void remove(byte_view key, byte_view value) noexcept;
  [[nodiscard]] hash32 value() const noexcept;

  /// `after - before`, mod 2^256: what a set of writes did to a digest. Writes to disjoint
  /// keys over the same state add up: digest(all) = base + sum of their deltas.
  static hash32 delta(const hash32& after, const hash32& before) noexcept;
  void add_delta(const hash32& delta) noexcept;

 private:
  std::uint64_t limbs_[4] = {};  // little-endian 256-bit number
};

/// Read access to a state. Implementations: memory_state (tests, scenarios), overlay (a block
/// in progress), runtime/store's RocksDB snapshot.
class state_view {
 public:
  virtual ~state_view() = default;
  [[nodiscard]] virtual std::optional<bytes> get(byte_view key) const = 0;
  [[nodiscard]] virtual hash32 digest() const = 0;
};

/// Buffers writes over a base view and keeps the digest current. Not thread-safe.
/// The base must outlive the overlay and must not change while it is in use: the overlay
/// remembers what it read from the base, so a key read (or written) twice costs one base read.
/// The digest is settled when asked for: a key written many times is hashed twice (its value
/// before and after), not twice per write.
/// Not copyable: `overlay child(parent)` would pick a copy constructor and silently copy
/// the parent's whole diff; a child over another overlay is made with `overlay::over(parent)`.
class overlay final : public state_view {
 public:
  /// `track_digest` false skips the hashing, for dry runs whose writes are thrown away;
  /// digest() of such an overlay is meaningless.
  explicit overlay(const state_view& base, bool track_digest = true);
  overlay(const overlay&) = delete;
  overlay& operator=(const overlay&) = delete;

  /// A child overlay whose base is `parent`. Its writes reach `parent`, and its digest, only
  /// through merge, so it keeps no digest of its own (its digest() is meaningless) and reads
  /// through to `parent` without remembering.
  static overlay over(const overlay& parent) { return overlay(parent, child_tag{}); }

  [[nodiscard]] std::optional<bytes> get(byte_view key) const override;
  [[nodiscard]] hash32 digest() const override;

  void put(byte_view key, byte_view value);
  void erase(byte_view key);
  /// Forgets this overlay's write to `key`, if any, so that it reads the base value again.
  void discard(byte_view key);

  /// Applies another overlay's writes (made over this one) on top of this one.
  void merge(const overlay& child);

  /// Takes writes made by another overlay over this overlay's base, with the digest delta
  /// they caused there (state_digest::delta), without hashing them again. None of the keys
  /// may have been written here: returns false, changing nothing, if one was.
  [[nodiscard]] bool absorb(const state_diff& writes, const hash32& digest_delta);

  [[nodiscard]] const state_diff& diff() const noexcept { return diff_; }
  /// Moves the writes out; the overlay is empty (and its digest stale) afterwards.
  [[nodiscard]] state_diff take_diff() noexcept;

 private:
  struct child_tag {};
  overlay(const overlay& parent, child_tag);
  void replace(byte_view key, std::optional<bytes> value);
  /// Brings digest_ up to date with the keys written since it last was.
  void settle() const;

  const state_view& base_;
  bool track_digest_;
  bool remember_reads_;
  // Looked up on every read and write, never iterated where order shows: hashed, since a
  // block's overlay holds thousands of keys and a tree walk pays a cache miss per level.
  using hashed_values = std::unordered_map<bytes, std::optional<bytes>, bytes_hash, bytes_equal>;

  state_diff diff_;
  mutable hashed_values reads_;  // values read from the base, by key
  // Keys written since the digest was settled -> the value digest_ still counts for them
  // (settled in any order: the digest is a sum).
  mutable hashed_values unsettled_;
  mutable state_digest digest_;
};

/// Only the keys a diff wrote, as a view: what a block changed, without the state it changed
/// (a key the diff does not name reads as absent; digest() is meaningless).
class diff_view final : public state_view {
 public:
  explicit diff_view(const state_diff& diff) : diff_(diff) {}
  [[nodiscard]] std::optional<bytes> get(byte_view key) const override;
  [[nodiscard]] hash32 digest() const override { return {}; }

 private:
  const state_diff& diff_;
};

/// A whole state in memory: genesis, tests, the epoch scenario runner.
class memory_state final : public state_view {
 public:
  [[nodiscard]] std::optional<bytes> get(byte_view key) const override;
  [[nodiscard]] hash32 digest() const override { return digest_.value(); }

  /// Applies a diff produced by an overlay over this state.
  void apply(const state_diff& diff);
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  /// Every entry in key order (audits, invariant checks, state dumps).
  [[nodiscard]] const std::map<bytes, bytes, bytes_less>& entries() const noexcept {
    return entries_;
  }

 private:
  std::map<bytes, bytes, bytes_less> entries_;
  state_digest digest_;
};

}  // namespace synod::chain
