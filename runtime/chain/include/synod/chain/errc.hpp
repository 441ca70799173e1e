#pragma once
/// Rejection and failure codes of the chain state machine.
///
/// The chain component does no I/O, so every error it returns is a *rejection*: deterministic,
/// part of consensus, the same on every node. Faults (disk, I/O) belong to runtime/store.
/// Codes up to `cannot_pay_fee` make a transaction *invalid* (never in a block, nothing
/// changes); codes from `zero_amount` on make it *failed* (included with a receipt: fee paid,
/// nonce used, nothing else changed).

#include "synod/base/error.hpp"

namespace synod::chain {

enum class errc {
  // invalid transaction
  malformed = 1,        ///< bytes fail the FlatBuffers verifier or a required field is missing
  oversize,             ///< envelope larger than chain_params::max_tx_bytes
  wrong_chain,          ///< signed for another chain id
  unknown_call,         ///< call type this chain does not know
  bad_signature,        ///< signature does not verify for the signer
  bad_proof,            ///< register_hotkey proof of possession does not verify
  nonce_too_low,        ///< nonce already used (a replay)
  nonce_too_high,       ///< nonce skips ahead of the signer's next nonce
  amount_overflow,      ///< amount plus fee does not fit u64
  cannot_pay_fee,       ///< signer's free balance is below the fee
  // failed transaction (included, fee charged)
  zero_amount,          ///< an amount of 0 rao where a positive amount is required
  insufficient_balance, ///< spends more than the free balance left after the fee
  insufficient_stake,   ///< removes more stake than the coldkey has on the hotkey
  hotkey_not_registered,///< stakes to a hotkey that no coldkey owns
  hotkey_registered,    ///< registers a hotkey that already has an owner
  // invalid block
  bad_block,            ///< header does not follow its parent, wrong author, bad signature, ...
  digest_mismatch,      ///< the header's state digest is not the digest the block produces
  bad_genesis,          ///< a genesis that cannot start a chain (duplicates, over the cap, ...)
  // mempool admission (back-pressure; not consensus)
  mempool_full,         ///< the pool or the signer's quota is full: retry later
  duplicate_tx,         ///< this transaction, or another with the same signer and nonce, is pending
};

const error_domain& error_domain_of(errc) noexcept;

/// True for codes that make a transaction failed (included) rather than invalid.
constexpr bool is_failure(errc c) noexcept {
  return c >= errc::zero_amount && c <= errc::hotkey_registered;
}

}  // namespace synod::chain
