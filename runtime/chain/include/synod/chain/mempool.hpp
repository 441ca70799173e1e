#pragma once
/// The pool of transactions waiting for a block. Bounded: a full pool answers
/// errc::mempool_full (back-pressure the submitter sees), never grows or drops silently.
///
/// Per signer it holds consecutive and future nonces within a window past the signer's next
/// nonce; a future nonce waits until the gap fills. Transactions enter already decoded and
/// signature-checked. Not thread-safe: one owner (the block producer) uses it.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>
#include <vector>

#include "synod/chain/tx.hpp"

namespace synod::chain {

struct mempool_options {
  std::size_t capacity = 100'000;   ///< transactions in the whole pool
  std::size_t per_signer = 1024;    ///< pending transactions of one signer
  std::uint64_t nonce_window = 1024;  ///< how far past the next nonce a future nonce may be
};

struct pooled_tx {
  bytes envelope;
  decoded_tx tx;
};

class mempool {
 public:
  using nonce_lookup = std::function<std::uint64_t(const public_key&)>;

  explicit mempool(mempool_options opts = {}) : opts_(opts) {}

  /// Admits a transaction given the signer's next nonce in the head state. Errors:
  /// errc::nonce_too_low, errc::nonce_too_high (past the window; names the next nonce),
  /// errc::duplicate_tx, errc::mempool_full.
  status add(pooled_tx tx, std::uint64_t next_nonce);

  /// Up to `max` transactions ready for the next block: for each signer its run of
  /// consecutive nonces from its next nonce; signers interleaved by arrival order. The pool
  /// keeps each signer's next nonce (from add, then from each prune), so this reads no state:
  /// a block costs what it holds, not a lookup per pending signer.
  [[nodiscard]] std::vector<const pooled_tx*> ready(std::size_t max) const;

  /// Drops what a committed block made stale (nonces below each signer's next nonce) and
  /// anything listed in `drop` (e.g. found invalid while building), looking up every pending
  /// signer. Returns how many are left.
  std::size_t prune(const nonce_lookup& next_nonce, const std::vector<hash32>& drop = {});

  /// The same for the signers of a block's candidates only (`signers`, repeats allowed): the
  /// others' nonces cannot have moved. `drop` lists candidates the block left out as invalid
  /// (their signers among `signers`). Returns how many are left.
  std::size_t prune_signers(const nonce_lookup& next_nonce, const std::vector<public_key>& signers,
                            const std::vector<hash32>& drop = {});

  /// The signer's next nonce as the pool last learned it (from add or a prune), when it has
  /// transactions pending; it is the head state's as long as every committed block has been
  /// pruned since.
  [[nodiscard]] std::optional<std::uint64_t> next_nonce_of(const public_key& signer) const;

  [[nodiscard]] bool contains(const hash32& id) const { return ids_.count(id) != 0; }
  [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }

 private:
  struct entry {
    std::uint64_t arrival;
    pooled_tx tx;
  };
  using queue = std::map<std::uint64_t, entry>;  // nonce -> entry
  struct signer_queue {
    queue q;
    std::uint64_t next = 0;  // the signer's next nonce, as last read
  };
  using signer_map = std::map<public_key, signer_queue>;

  /// Sets `s`'s next nonce and drops its entries below it (and those in `dropped`); erases
  /// the signer when nothing is left. Returns the iterator after it.
  signer_map::iterator prune_one(signer_map::iterator s, std::uint64_t next, const std::set<hash32>& dropped);

  mempool_options opts_;
  signer_map by_signer_;
  std::unordered_set<hash32, fixed_bytes_hash> ids_;  // looked up per admission, never iterated
  std::uint64_t arrivals_ = 0;
};

}  // namespace synod::chain
