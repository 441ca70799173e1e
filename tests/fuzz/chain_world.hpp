#pragma once
// The small chain that fuzz_tx and fuzz_block run against, built once per process, its seed
// inputs, and the checks both targets make on every transaction they decode.

#include <optional>
#include <vector>

#include "synod/chain/block.hpp"

namespace synod::fuzz {

/// Genesis: one authority, coldkeys alice (1000 TAO) and bob (10 TAO). On top of it alice has
/// registered `hot` and staked 100 TAO on it, so that every call finds state to act on.
/// Immutable once built: targets apply transactions to overlays over `state`.
class chain_world {
 public:
  /// The one instance, built on first use. Traps if its own set-up is rejected.
  static const chain_world& get();

  crypto::keypair authority, alice, bob, hot, spare;
  chain::chain_context ctx;
  hash32 other_chain_id;  ///< ctx.chain_id with one bit flipped
  chain::memory_state state;

  /// Signed envelopes against `state`: every call type, calls that fail, a replay.
  [[nodiscard]] std::vector<bytes> sample_txs() const;
  /// Blocks over `state`: an empty one and one that carries transactions.
  [[nodiscard]] std::vector<bytes> sample_blocks() const;

 private:
  chain_world();
  [[nodiscard]] bytes sign(const crypto::keypair& who, std::uint64_t nonce,
                           const chain::call& c) const;
  [[nodiscard]] chain::register_hotkey_call registration(const crypto::keypair& cold,
                                                         const crypto::keypair& hotkey) const;
  void apply_setup(const bytes& envelope);
};

/// decode_tx against the world's chain, then check_signatures on what decodes, checking what
/// holds for any input: a rejection carries one of the codes the header documents, oversize
/// exactly when the envelope is over the limit; a decoded transaction has the envelope's size
/// and blake2b-256 as size and id, and the same bytes are rejected as wrong_chain on any other
/// chain. Returns the transaction when it decodes, whatever its signature check said.
std::optional<chain::decoded_tx> decode_and_check(const chain_world& w, byte_view envelope);

}  // namespace synod::fuzz
