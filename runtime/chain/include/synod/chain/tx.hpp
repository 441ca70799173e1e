#pragma once
/// Transactions: decoding and checking untrusted envelope bytes, and building signed ones.
///
/// What is signed (DESIGN.md): ed25519 over blake2b-256(chain id || signer || nonce u64 LE ||
/// call bytes), where the call bytes are exactly those carried in the envelope. The id of a
/// transaction is blake2b-256 of its whole envelope.

#include <optional>
#include <variant>

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

using call = std::variant<transfer_call, add_stake_call, remove_stake_call, register_hotkey_call>;

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
