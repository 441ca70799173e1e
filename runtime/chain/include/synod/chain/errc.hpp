#pragma once
/// Rejection and failure codes of the chain state machine.
///
/// The chain component does no I/O, so every error it returns is a *rejection*: deterministic,
/// part of consensus, the same on every node. Faults (disk, I/O) belong to runtime/store.
/// Codes up to `cannot_pay_fee` make a transaction *invalid* (never in a block, nothing
/// changes); codes from `zero_amount` to `hotkey_registered`, and from `subnet_not_found` on,
/// make it *failed* (included with a receipt: fee paid, nonce used, nothing else changed).

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
  // failed transaction: subnet calls (included, fee charged)
  subnet_not_found = 100,       ///< no subnet has this netuid (netuid 0, root, takes no subnet calls)
  not_subnet_owner,             ///< only the subnet owner's coldkey may do this
  not_hotkey_owner,             ///< the hotkey belongs to another coldkey
  subnet_limit_reached,         ///< as many subnets exist as the network allows
  network_rate_limited,         ///< a coldkey's subnet registrations too close (names the next block)
  hyperparam_out_of_range,      ///< a hyperparameter outside its range (names it and the range)
  registration_disabled,        ///< the subnet's owner turned registration off
  hotkey_in_subnet,             ///< the hotkey already has a uid in this subnet
  no_uid_available,             ///< the subnet is full and every neuron is protected from pruning
  not_in_subnet,                ///< the signing hotkey has no uid in this subnet
  bad_endpoint,                 ///< serve with a bad ip type, address, port or protocol
  serve_rate_limited,           ///< serve again too soon (names the next block)
  commit_reveal_enabled,        ///< set_weights on a subnet that wants commit and reveal
  commit_reveal_disabled,       ///< commit or reveal on a subnet without commit-reveal
  weights_length_mismatch,      ///< uids and values differ in length
  too_many_weights,             ///< more weights than the subnet has neurons
  stake_below_threshold,        ///< the hotkey's stake is below the subnet's stake threshold
  stale_version_key,            ///< version_key below the subnet's weights version key
  weights_rate_limited,         ///< weights set or committed too soon (names the next block)
  no_validator_permit,          ///< weights from a neuron without a validator permit
  duplicate_uids,               ///< a uid (or netuid) listed twice
  unknown_uid,                  ///< a uid the subnet does not have
  too_few_weights,              ///< fewer weights than the subnet's minimum
  weight_over_limit,            ///< a normalized weight above the subnet's max weight limit
  too_many_commits,             ///< the hotkey already has the most unrevealed commits allowed
  no_weight_commit,             ///< reveal without any commit
  reveal_too_early,             ///< reveal before the commit's reveal epoch
  reveal_too_late,              ///< reveal after the commit's reveal epoch: the commit expired
  reveal_mismatch,              ///< no commit matches these weights, salt and version key
  take_out_of_range,            ///< delegate take outside the network's range
  take_rate_limited,            ///< take raised too soon after its last change (names the next block)
};

const error_domain& error_domain_of(errc) noexcept;

/// True for codes that make a transaction failed (included) rather than invalid.
constexpr bool is_failure(errc c) noexcept {
  return (c >= errc::zero_amount && c <= errc::hotkey_registered) ||
         (c >= errc::subnet_not_found && c <= errc::take_rate_limited);
}

}  // namespace synod::chain
