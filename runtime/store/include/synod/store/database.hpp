#pragma once
/// The node's durable store on RocksDB. Column families:
///   state   chain state keys -> record bytes (exactly the chain's key space)
///   blocks  height u64 BE -> block bytes
///   hashes  block hash -> height u64 BE
///   txs     transaction id -> tx_location (height, index, outcome, fee)
///   meta    "chain_id", "head" (height, hash, slot), "digest"
/// A block and everything it changes (state diff, index entries, head, digest) go in one
/// WriteBatch, synced to the WAL before commit_block returns: a node killed at any moment
/// reopens at its last committed block with an intact digest.
///
/// Thread safety: commit_* from one thread (the node's committer); reads from any thread.

#include <filesystem>
#include <memory>
#include <optional>
#include <span>

#include "synod/base/result.hpp"
#include "synod/chain/block.hpp"

namespace synod::store {

struct options {
  std::filesystem::path dir;
  /// fsync the WAL at every commit (true for nodes; tests and benchmarks may turn it off).
  bool sync = true;
};

struct head_info {
  std::uint64_t height = 0;
  hash32 hash;  ///< chain id at height 0
  std::uint64_t slot = 0;
  hash32 digest;
};

/// Where a committed transaction landed and how it ended.
struct tx_location {
  std::uint64_t height = 0;
  std::uint32_t index = 0;
  bool failed = false;
  std::uint16_t failure_code = 0;  ///< chain::errc value when failed
  rao fee = 0;
};

class database {
 public:
  /// Opens or creates the database in options.dir. A database made for another chain id
  /// is refused (errc::wrong_chain). Errors: errc::io_error, errc::corrupt.
  static result<std::unique_ptr<database>> open(const options& opts, const hash32& chain_id);

  virtual ~database() = default;

  /// True until commit_genesis has run.
  [[nodiscard]] virtual bool empty() const = 0;

  /// Writes the genesis state (height 0). Errors: errc::already_initialised, errc::io_error.
  virtual status commit_genesis(const chain::state_diff& diff, const hash32& digest) = 0;

  /// Writes a block and its outcome atomically. The block must extend the head
  /// (errc::not_next otherwise). Errors: errc::io_error.
  virtual status commit_block(const chain::block_header& header, const hash32& hash,
                              byte_view raw, const chain::block_outcome& outcome) = 0;

  [[nodiscard]] virtual head_info head() const = 0;

  /// The latest committed state. The view reads a RocksDB snapshot taken now, so later
  /// commits do not change what it sees. A read fault inside it stops the process
  /// (fail-stop: a node must never apply a block over a state it could not read).
  [[nodiscard]] virtual std::unique_ptr<chain::state_view> state() const = 0;

  virtual result<std::optional<bytes>> block_at(std::uint64_t height) const = 0;
  virtual result<std::optional<std::uint64_t>> height_of(const hash32& block_hash) const = 0;
  virtual result<std::optional<tx_location>> find_tx(const hash32& tx_id) const = 0;

  /// Recomputes the digest from every state entry (an audit; O(state)).
  virtual result<hash32> recompute_digest() const = 0;
};

}  // namespace synod::store
