#pragma once
/// The pure transaction rules: state + verified transaction -> new state + receipt.

#include <optional>

#include "synod/base/result.hpp"
#include "synod/chain/records.hpp"
#include "synod/chain/tx.hpp"

namespace synod::chain {

/// What happened to an included transaction. `failure` set means the call's rule said no:
/// the fee was charged and the nonce used, nothing else changed.
struct receipt {
  hash32 tx_id;
  rao fee = 0;
  std::optional<error> failure;
};

/// Fee of an envelope of `size` bytes.
rao tx_fee(const chain_params& p, std::uint32_t size) noexcept;

/// Calls a hotkey signs for its neuron (set_weights, commit_weights, reveal_weights, serve)
/// are fee-free (DESIGN.md). So that they cannot be free spam, one whose rule says no is
/// invalid rather than failed: refused with its reason, never included, nonce unused.
bool fee_free(const call& c) noexcept;

/// Applies one transaction whose signatures were checked. On an invalid transaction
/// (errc::nonce_too_low, nonce_too_high, cannot_pay_fee, amount_overflow, or a fee-free
/// call's own rejection) returns the rejection and leaves `s` untouched; otherwise charges
/// the fee, bumps the nonce, runs the call and returns its receipt. `height` is the block the transaction goes into (rate
/// limits, registration blocks and commit-reveal windows count in blocks).
result<receipt> apply_tx(overlay& s, const decoded_tx& tx, const chain_params& p,
                         std::uint64_t height);

/// Mints this block's emission (emission.hpp) into the pending-emission pool. Until subnets
/// exist the pool only accumulates; the subnet issue distributes it. Returns the amount.
rao mint_block_emission(overlay& s);

/// What a block does after its transactions, at block `height`: mints the emission and runs
/// whatever falls due at that height. Returns the amount minted.
rao end_block(overlay& s, std::uint64_t height, const chain_params& p);

}  // namespace synod::chain
