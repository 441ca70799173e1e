#pragma once
/// Applying a block's transactions in parallel slices, with the serial result.
///
/// A block means its transactions applied one after another (block.hpp). Two transactions
/// that touch no common state key commute, except through the totals record, whose fields
/// every call only moves by sums. So:
///   1. plan_slices() joins transactions that share a key (conflict_keys) into groups, and
///      deals whole groups to K slices, balanced by count;
///   2. each slice is applied over the parent state on its own (apply_slice; the ledger
///      shards do this at once, one slice each), in block order within the slice, with the
///      totals record kept aside as signed deltas;
///   3. the block combines them (block.hpp): disjoint writes, digest deltas and totals
///      deltas add up.
/// The outcome (writes, receipts, digest, which transactions a builder drops, which one makes
/// an import fail) is the serial one for every K: a group sees exactly the writes it would
/// see serially, since nothing outside it touches its keys.

#include <cstdint>
#include <span>
#include <vector>

#include "synod/base/int128.hpp"
#include "synod/chain/apply.hpp"

namespace synod::chain {

struct chain_context;

/// Appends every state key `tx` may read or write, other than the totals record. A call
/// whose keys cannot be told in advance returns false: it conflicts with everything.
bool conflict_keys(const decoded_tx& tx, std::vector<bytes>& out);

/// Indexes [0, txs.size()) split into at most `k` non-empty slices of whole conflict groups,
/// each ascending. Deterministic.
std::vector<std::vector<std::uint32_t>> plan_slices(std::span<const decoded_tx> txs, std::size_t k);

/// What a slice's transactions do to the totals record, as signed sums.
struct totals_delta {
  i128 issuance = 0;
  i128 pending_emission = 0;
  i128 total_stake = 0;
  i128 burned = 0;
  i128 locked = 0;
};

enum class slice_mode : std::uint8_t {
  build,   ///< block building: an invalid transaction is dropped and the rest go on
  import,  ///< importing: signatures are checked here, and the first invalid one stops it
};

struct slice_outcome {
  hash32 base_digest;    ///< digest of the state the slice was applied over
  state_diff writes;     ///< without the totals record
  hash32 digest_delta;   ///< state_digest::delta of `writes`
  totals_delta totals;
  std::vector<std::pair<std::uint32_t, receipt>> receipts;  ///< ascending by index
  std::vector<std::pair<std::uint32_t, error>> dropped;     ///< build: invalid, left out
  /// import: the first bad signature of the slice (every signature is checked), else the
  /// first invalid transaction; nothing is applied after either.
  std::optional<std::pair<std::uint32_t, error>> bad_signature, invalid;
};

/// `base` moved by the totals deltas of `slices`; nullopt if a field would leave u64.
std::optional<totals> add_deltas(const totals& base, std::span<const slice_outcome* const> slices);

/// Applies the transactions `indexes` (ascending) of `txs` over `parent` as the block at
/// `height`. Thread-safe for distinct outcomes over the same read-only parent.
slice_outcome apply_slice(const state_view& parent, const chain_context& ctx,
                          std::span<const decoded_tx> txs, std::span<const std::uint32_t> indexes,
                          std::uint64_t height, slice_mode mode);

}  // namespace synod::chain
