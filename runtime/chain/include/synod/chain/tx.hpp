#pragma once
/// Transactions: decoding and checking untrusted envelope bytes, and building signed ones.
///
/// What is signed (DESIGN.md): ed25519 over blake2b-256(chain id || signer || nonce u64 LE ||
/// call bytes), where the call bytes are exactly those carried in the envelope. The id of a
/// transaction is blake2b-256 of its whole envelope.

#include <array>
#include <optional>
#include <variant>
#include <vector>

#include "synod/base/amount.hpp"
#include "synod/base/result.hpp"
#include "synod/chain/params.hpp"
#include "synod/crypto/keys.hpp"

namespace synod::chain {

using crypto::public_key;

struct transfer_call {
  public_key dest;
  rao amount = 0;
};

struct add_stake_call {
  public_key hotkey;
  rao amount = 0;
};

struct remove_stake_call {
  public_key hotkey;
  rao amount = 0;
};

/// Makes the signer (a coldkey) the owner of `hotkey`; `proof` is the hotkey's signature over
/// register_proof_message(chain id, coldkey).
struct register_hotkey_call {
  public_key hotkey;
  crypto::signature proof;
};

// ---- Subnet calls (issue 3; rules in subnet_rules.hpp, state in subnet.hpp) ----

/// The signer (a coldkey) locks the lock cost and becomes the owner of a new subnet; `hotkey`
/// must be one of its registered hotkeys and becomes the owner hotkey, uid 0.
struct register_subnet_call {
  public_key hotkey;
};

/// Hyperparameters an owner can change, by id (stable numbers: they are on the wire).
enum class hyperparam : std::uint8_t {
  tempo = 1, kappa, bonds_moving_average, bonds_penalty, yuma3, liquid_alpha, alpha_low,
  alpha_high, alpha_sigmoid_steepness, activity_cutoff_factor_milli, max_allowed_uids,
  max_allowed_validators, min_allowed_weights, max_weights_limit, weights_rate_limit,
  weights_version_key, immunity_period, min_non_immune_uids, immune_owner_uids_limit,
  stake_threshold, min_burn, max_burn, burn_half_life, burn_increase_mult_q32, commit_reveal,
  reveal_period_epochs, serving_rate_limit, registration_allowed,
};
inline constexpr std::uint8_t hyperparam_count = 28;

/// "tempo", "kappa", ...; "unknown" outside the enum.
std::string_view hyperparam_name(hyperparam h) noexcept;

struct hyperparam_change {
  hyperparam id = hyperparam::tempo;
  std::uint64_t value = 0;  ///< booleans 0/1; alpha_sigmoid_steepness must be >= 0
  friend bool operator==(const hyperparam_change&, const hyperparam_change&) = default;
};

/// The subnet owner's coldkey changes hyperparameters; applied in order, then all are checked.
struct set_subnet_hyperparams_call {
  std::uint16_t netuid = 0;
  std::vector<hyperparam_change> changes;
};

/// The signer (coldkey) burns the subnet's registration price to give `hotkey` (its own) a uid.
struct burned_register_call {
  std::uint16_t netuid = 0;
  public_key hotkey;
};

/// A neuron's hotkey (the signer) publishes its endpoint.
struct serve_call {
  std::uint16_t netuid = 0;
  std::array<std::uint8_t, 16> ip{};  ///< IPv4 in the last 4 bytes
  std::uint8_t ip_type = 4;           ///< 4 or 6
  std::uint16_t port = 0;
  std::uint8_t protocol = 0;          ///< 0 tcp, 1 udp, 2 other
  std::uint32_t version = 0;
};

/// A neuron's hotkey (the signer) sets its weights (subtensor-economics.md section 4.1).
struct set_weights_call {
  std::uint16_t netuid = 0;
  std::vector<std::uint16_t> uids;
  std::vector<std::uint16_t> values;
  std::uint64_t version_key = 0;
};

/// A neuron's hotkey commits to weights_commit_hash(...) of the weights it reveals later.
struct commit_weights_call {
  std::uint16_t netuid = 0;
  hash32 hash;
};

struct reveal_weights_call {
  std::uint16_t netuid = 0;
  std::vector<std::uint16_t> uids;
  std::vector<std::uint16_t> values;
  bytes salt;
  std::uint64_t version_key = 0;
};

/// The owner coldkey (the signer) sets the share of its delegators' dividends `hotkey` keeps.
struct set_delegate_take_call {
  public_key hotkey;
  std::uint16_t take = 0;  ///< /65535
};

/// A hotkey (the signer) votes how block emission is split among subnets: weights over
/// netuids, weighted later by the hotkey's stake. Only stored here.
struct set_root_weights_call {
  std::vector<std::uint16_t> netuids;
  std::vector<std::uint16_t> values;
};

using call = std::variant<transfer_call, add_stake_call, remove_stake_call, register_hotkey_call,
                          register_subnet_call, set_subnet_hyperparams_call, burned_register_call,
                          serve_call, set_weights_call, commit_weights_call, reveal_weights_call,
                          set_delegate_take_call, set_root_weights_call>;

/// A transaction whose envelope passed every structural check. Signatures are checked
/// separately (check_signatures) because that is the expensive, parallel part.
struct decoded_tx {
  hash32 id;
  public_key signer;
  std::uint64_t nonce = 0;
  chain::call call;
  hash32 signing_hash;
  crypto::signature sig;
  std::uint32_t size = 0;  ///< envelope bytes, for the fee
};

/// Structural checks of untrusted bytes. Errors (all invalid): errc::oversize,
/// errc::malformed (verifier, missing field, nested call), errc::wrong_chain,
/// errc::unknown_call.
result<decoded_tx> decode_tx(byte_view envelope, const hash32& chain_id,
                             const chain_params& params);

/// The signer named by an envelope that passes the FlatBuffers verifier, without hashing or
/// checking anything else: enough to route it to its shard. nullopt for broken bytes.
std::optional<public_key> envelope_signer(byte_view envelope) noexcept;

/// Checks the envelope signature and any proof the call carries. Thread-safe, pure.
/// Errors: errc::bad_signature, errc::bad_proof.
status check_signatures(const decoded_tx& tx, const hash32& chain_id);

/// The message a hotkey signs to prove possession when its coldkey registers it.
hash32 register_proof_message(const hash32& chain_id, const public_key& coldkey);

/// Builds and signs an envelope (wallets, CLI, tests, benchmarks).
bytes encode_tx(const hash32& chain_id, const crypto::keypair& signer, std::uint64_t nonce,
                const call& c);

/// Name of a call for receipts and CLI output: "transfer", "add_stake", ...
std::string_view call_name(const call& c) noexcept;

}  // namespace synod::chain
