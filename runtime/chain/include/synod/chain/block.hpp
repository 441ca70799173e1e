#pragma once
/// Blocks: encoding, decoding untrusted bytes, and the pure block transition
///   apply_block(parent state, context, parent, block, its checked transactions) -> outcome.
/// A block means applying its transactions one by one, in order, then minting the block
/// emission; the header commits to the resulting state digest.

#include <span>
#include <vector>

#include "synod/chain/apply.hpp"
#include "synod/chain/genesis.hpp"
#include "synod/chain/parallel.hpp"

namespace synod::chain {

struct block_header {
  std::uint64_t height = 0;
  hash32 parent;        ///< hash of the parent header; the chain id for height 1
  std::uint64_t slot = 0;
  public_key author;
  hash32 tx_root;       ///< tx_root() of the transaction ids
  hash32 state_digest;  ///< digest after the block
  std::uint32_t tx_count = 0;
  friend bool operator==(const block_header&, const block_header&) = default;
};

/// A block whose bytes passed the verifier. Views point into the caller's buffer, which must
/// outlive this object.
struct decoded_block {
  block_header header;
  hash32 hash;  ///< blake2b-256 of the header bytes
  crypto::signature sig;
  std::vector<byte_view> txs;
};

/// What the chain knows without reading state: its id, parameters and authorities.
struct chain_context {
  hash32 chain_id;
  chain_params params;
  std::vector<public_key> authorities;

  static chain_context from(const genesis& g);
  [[nodiscard]] const public_key& author_of(std::uint64_t slot) const {
    return authorities[slot % authorities.size()];
  }
};

/// The parent a block builds on. For the first block: height 0, hash = chain id, slot 0.
struct parent_info {
  std::uint64_t height = 0;
  hash32 hash;
  std::uint64_t slot = 0;
};

struct block_outcome {
  state_diff diff;
  std::vector<receipt> receipts;
  hash32 digest;
  rao minted = 0;
};

hash32 tx_root(std::span<const hash32> ids);

/// The hash of a header as this node encodes it: blake2b-256 of its bytes. (A block from
/// elsewhere is hashed from the bytes it carries: decoded_block::hash.)
hash32 block_hash(const block_header& h);

/// Signs and encodes a block. The header must already carry tx_root, digest and count.
bytes encode_block(const block_header& h, std::span<const bytes> txs, const crypto::keypair& author);

/// Errors: errc::malformed (verifier, missing fields, more txs than max_block_txs).
result<decoded_block> decode_block(byte_view raw, const chain_params& params);

/// Checks the header against its parent and context (height, parent hash, slot, author,
/// signature, tx count and root) and applies the transactions. `txs` are the block's
/// transactions decoded and signature-checked, in order. Errors: errc::bad_block,
/// errc::digest_mismatch, or the first invalid transaction's rejection (prefixed with its index).
result<block_outcome> apply_block(const state_view& parent_state, const chain_context& ctx,
                                  const parent_info& parent, const decoded_block& block,
                                  std::span<const decoded_tx> txs);

/// The same, with the transactions already applied over `parent_state` as slices
/// (parallel.hpp, slice_mode::import) that cover them exactly; signatures are checked there.
/// A bad signature anywhere is reported before an invalid call, each the first in block order.
result<block_outcome> apply_block(const state_view& parent_state, const chain_context& ctx,
                                  const parent_info& parent, const decoded_block& block,
                                  std::span<const decoded_tx> txs,
                                  std::span<const slice_outcome* const> slices);

/// A block made from candidate transactions (decoded, signature-checked, in mempool order):
/// the first max_block_txs of them are applied in turn; those that are invalid at that point
/// are left out and reported.
struct built_block {
  bytes raw;
  block_header header;
  hash32 hash;
  block_outcome outcome;
  std::vector<std::pair<hash32, error>> dropped;
};

built_block build_block(const state_view& parent_state, const chain_context& ctx,
                        const parent_info& parent, std::uint64_t slot,
                        const crypto::keypair& author, std::span<const bytes> envelopes,
                        std::span<const decoded_tx> candidates);

/// The same, with the candidates (at most max_block_txs) already applied over `parent_state`
/// as slices (slice_mode::build) that cover them exactly. Errors: errc::bad_block when the
/// slices do not fit (overlap, gaps, another parent state).
result<built_block> build_block(const state_view& parent_state, const chain_context& ctx,
                                const parent_info& parent, std::uint64_t slot,
                                const crypto::keypair& author, std::span<const bytes> envelopes,
                                std::span<const decoded_tx> candidates,
                                std::span<const slice_outcome* const> slices);

}  // namespace synod::chain
