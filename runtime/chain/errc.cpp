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
  }
  return "unknown";
}

constexpr error_domain chain_domain{"chain", &chain_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return chain_domain; }

}  // namespace synod::chain
