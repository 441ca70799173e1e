#pragma once
// Private to the chain component: the subnet calls' rules (subnet_calls.cpp), run by apply_tx
// on a child overlay that is dropped whole when the call fails.

#include "synod/chain/subnet.hpp"
#include "synod/chain/tx.hpp"

namespace synod::chain::detail {

/// Takes `amount` from `who`'s free balance; `what` names the spend in the rejection.
/// Errors: errc::insufficient_balance.
status debit(overlay& s, const public_key& who, rao amount, std::string_view what);

/// Where a registration of `hotkey` into `netuid` puts it (section 4.6): the next uid, or in a
/// full subnet the uid the pruning rule replaces. Shared by burned_register and the scenario
/// runner (which registers without paying). Errors: errc::hotkey_in_subnet,
/// errc::no_uid_available.
struct neuron_slot {
  uid_t uid = 0;
  bool replaces = false;  ///< the uid holds a neuron that this registration replaces
};
result<neuron_slot> find_neuron_slot(const state_view& s, netuid_t netuid, const subnet_info& info,
                                     const public_key& hotkey, std::uint64_t height);

/// Gives `hotkey` the slot at `height`: a replaced neuron loses its uid, commits, weights,
/// bonds and endpoint, and other rows' weights to it become 0; a new uid raises
/// info.neuron_count. The caller stores `info`.
void seat_neuron(overlay& s, netuid_t netuid, subnet_info& info, neuron_slot slot,
                 const public_key& hotkey, std::uint64_t height);

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
