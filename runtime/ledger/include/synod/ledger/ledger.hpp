#pragma once
/// The ledger of one node: the chain rules (runtime/chain) over the durable store
/// (runtime/store). It opens or initialises the database from a genesis, produces and commits
/// blocks, imports blocks from peers, and answers reads. Actors drive it; it knows nothing of
/// them.
///
/// Threading: produce/import from one thread (the block producer); head() and the database's
/// reads from any thread.

#include <functional>
#include <memory>

#include "synod/chain/block.hpp"
#include "synod/store/database.hpp"

namespace synod::ledger {

/// Shard that owns a signer's slice of the key space (and so its mempool entries): the first
/// eight bytes of the key, little-endian, modulo `shards`. Stable across runs and nodes.
std::size_t shard_of(const crypto::public_key& key, std::size_t shards) noexcept;

/// Checks decoded transactions' signatures, possibly in parallel; returns one status per tx.
using signature_checker =
    std::function<std::vector<status>(std::span<const chain::decoded_tx>, const hash32& chain_id)>;

/// The plain serial checker.
std::vector<status> check_serially(std::span<const chain::decoded_tx> txs, const hash32& chain_id);

/// A block's transactions applied elsewhere (the ledger shards, in parallel) as slices of
/// chain::plan_slices: per slice its outcome, or null where it was not done (a shard that did
/// not answer): the ledger applies those itself.
struct applied_slices {
  std::vector<std::vector<std::uint32_t>> plan;
  std::vector<std::shared_ptr<const chain::slice_outcome>> outcomes;
};

class ledger {
 public:
  /// Opens the store in `opts.dir` for `g`'s chain, committing the genesis state on first use
  /// and otherwise checking the stored state against the head's digest.
  /// Errors: chain::errc::bad_genesis, store::errc::corrupt (digest mismatch), store errors.
  static result<std::unique_ptr<ledger>> open(const store::options& opts, const chain::genesis& g);

  [[nodiscard]] const chain::chain_context& context() const noexcept { return ctx_; }
  [[nodiscard]] store::database& db() const noexcept { return *db_; }
  [[nodiscard]] store::head_info head() const { return db_->head(); }

  /// Builds the next block at `slot` from candidates (decoded and signature-checked, in
  /// order), commits it, and returns it (with what was dropped as invalid).
  result<chain::built_block> produce(std::uint64_t slot, const crypto::keypair& author,
                                     std::span<const bytes> envelopes,
                                     std::span<const chain::decoded_tx> candidates);

  /// The same, with the candidates (at most max_block_txs) already applied as slices over
  /// the current head state.
  result<chain::built_block> produce(std::uint64_t slot, const crypto::keypair& author,
                                     std::span<const bytes> envelopes,
                                     std::span<const chain::decoded_tx> candidates,
                                     const applied_slices& slices);

  /// Verifies and commits a block made elsewhere. Rejections leave the store untouched.
  result<chain::block_outcome> import(byte_view raw, const signature_checker& check = check_serially);

  /// The same for a block already decoded (its transactions in `txs`) whose transactions the
  /// shards checked and applied as slices (slice_mode::import) over the current head state.
  result<chain::block_outcome> import(byte_view raw, const chain::decoded_block& block,
                                      std::span<const chain::decoded_tx> txs,
                                      const applied_slices& slices);

 private:
  ledger(std::unique_ptr<store::database> db, chain::chain_context ctx)
      : db_(std::move(db)), ctx_(std::move(ctx)) {}

  chain::parent_info parent() const;
  // Outcomes of every slice in `slices`: those given, if made over `state`, else done here.
  std::vector<std::shared_ptr<const chain::slice_outcome>> complete(
      const chain::state_view& state, std::span<const chain::decoded_tx> txs,
      std::uint64_t height, chain::slice_mode mode, const applied_slices& slices) const;

  std::unique_ptr<store::database> db_;
  chain::chain_context ctx_;
};

}  // namespace synod::ledger
