#include "synod/chain/errc.hpp"

namespace synod::chain {
namespace {

std::string_view chain_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::malformed: return "malformed";
    case errc::oversize: return "oversize";
    case errc::wrong_chain: return "wrong_chain";
    case errc::unknown_call: return "unknown_call";
    case errc::bad_signature: return "bad_signature";
    case errc::bad_proof: return "bad_proof";
    case errc::nonce_too_low: return "nonce_too_low";
    case errc::nonce_too_high: return "nonce_too_high";
    case errc::amount_overflow: return "amount_overflow";
    case errc::cannot_pay_fee: return "cannot_pay_fee";
    case errc::zero_amount: return "zero_amount";
    case errc::insufficient_balance: return "insufficient_balance";
    case errc::insufficient_stake: return "insufficient_stake";
    case errc::hotkey_not_registered: return "hotkey_not_registered";
    case errc::hotkey_registered: return "hotkey_registered";
    case errc::bad_block: return "bad_block";
    case errc::digest_mismatch: return "digest_mismatch";
    case errc::bad_genesis: return "bad_genesis";
    case errc::mempool_full: return "mempool_full";
    case errc::duplicate_tx: return "duplicate_tx";
    case errc::subnet_not_found: return "subnet_not_found";
    case errc::not_subnet_owner: return "not_subnet_owner";
    case errc::not_hotkey_owner: return "not_hotkey_owner";
    case errc::subnet_limit_reached: return "subnet_limit_reached";
    case errc::network_rate_limited: return "network_rate_limited";
    case errc::hyperparam_out_of_range: return "hyperparam_out_of_range";
    case errc::registration_disabled: return "registration_disabled";
    case errc::hotkey_in_subnet: return "hotkey_in_subnet";
    case errc::no_uid_available: return "no_uid_available";
    case errc::not_in_subnet: return "not_in_subnet";
    case errc::bad_endpoint: return "bad_endpoint";
    case errc::serve_rate_limited: return "serve_rate_limited";
    case errc::commit_reveal_enabled: return "commit_reveal_enabled";
    case errc::commit_reveal_disabled: return "commit_reveal_disabled";
    case errc::weights_length_mismatch: return "weights_length_mismatch";
    case errc::too_many_weights: return "too_many_weights";
    case errc::stake_below_threshold: return "stake_below_threshold";
    case errc::stale_version_key: return "stale_version_key";
    case errc::weights_rate_limited: return "weights_rate_limited";
    case errc::no_validator_permit: return "no_validator_permit";
    case errc::duplicate_uids: return "duplicate_uids";
    case errc::unknown_uid: return "unknown_uid";
    case errc::too_few_weights: return "too_few_weights";
    case errc::weight_over_limit: return "weight_over_limit";
    case errc::too_many_commits: return "too_many_commits";
    case errc::no_weight_commit: return "no_weight_commit";
    case errc::reveal_too_early: return "reveal_too_early";
    case errc::reveal_too_late: return "reveal_too_late";
    case errc::reveal_mismatch: return "reveal_mismatch";
    case errc::take_out_of_range: return "take_out_of_range";
    case errc::take_rate_limited: return "take_rate_limited";
  }
  return "unknown";
}

constexpr error_domain chain_domain{"chain", &chain_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return chain_domain; }

}  // namespace synod::chain
