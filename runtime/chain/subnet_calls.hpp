#pragma once
// Private to the chain component: the subnet calls' rules (subnet_calls.cpp), run by apply_tx
// on a child overlay that is dropped whole when the call fails.

#include "synod/chain/subnet.hpp"
#include "synod/chain/tx.hpp"

namespace synod::chain::detail {

/// Takes `amount` from `who`'s free balance; `what` names the spend in the rejection.
/// Errors: errc::insufficient_balance.
status debit(overlay& s, const public_key& who, rao amount, std::string_view what);

status run(overlay& s, const public_key& signer, std::uint64_t height, const register_subnet_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height,
           const set_subnet_hyperparams_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const burned_register_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const serve_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const set_weights_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const commit_weights_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const reveal_weights_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const set_delegate_take_call& c);
status run(overlay& s, const public_key& signer, std::uint64_t height, const set_root_weights_call& c);

}  // namespace synod::chain::detail
