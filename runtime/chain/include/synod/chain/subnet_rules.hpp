#pragma once
/// The subnet rules as pure functions over plain values, shared by the chain calls
/// (subnet_calls.cpp) and the test harnesses that replay subtensor's scenarios. Each mirrors
/// subtensor as subtensor-economics.md describes it (section named at each). Integers and
/// fixed point only. Errors are chain::errc failures whose message names the problem.

#include <optional>
#include <span>

#include "synod/base/result.hpp"
#include "synod/chain/registration_burn.hpp"
#include "synod/chain/subnet.hpp"
#include "synod/chain/tx.hpp"

namespace synod::chain {

/// Most unrevealed weight commits one hotkey may hold in one subnet (section 5).
inline constexpr std::size_t max_unrevealed_commits = 10;

/// Subnet lock cost at `height` (section 4.7): max(min_lock, last_lock * m - (last_lock /
/// interval) * (height - last_lock_block)), m = 2 once any subnet was registered, saturating.
rao lock_cost(const network_state& n, std::uint64_t height) noexcept;

/// The registration burn parameters of a subnet's hyperparameters.
burn_params burn_params_of(const subnet_hyperparams& hp) noexcept;

/// The registration price at `height`: the stored price decayed once per block since
/// burn_block, each step floored and clamped exactly as decay_burn (section 4.6).
rao burn_at(const subnet_info& s, std::uint64_t height) noexcept;

/// True when the subnet's epoch falls due at `height` (section 2.14): tempo > 0 and
/// height - last_epoch_block >= tempo.
bool epoch_due(const subnet_info& s, std::uint64_t height) noexcept;

/// The epoch a call at `height` belongs to, with subtensor's look-ahead: epoch_index, plus one
/// when an epoch falls due in this block (it runs after the block's transactions).
std::uint64_t current_epoch(const subnet_info& s, std::uint64_t height) noexcept;

/// Every range of set_subnet_hyperparams, after the changes were applied. `neuron_count` is
/// the subnet's size (max_allowed_uids may not drop below it). Errors:
/// errc::hyperparam_out_of_range naming the hyperparameter, its value and its range.
status check_hyperparams(const subnet_hyperparams& hp, std::uint32_t neuron_count);

/// Applies one change to `hp`; values too large for the field are out of range.
status apply_hyperparam(subnet_hyperparams& hp, const hyperparam_change& c);

/// What get_neuron_to_prune (section 4.6) reads of one uid.
struct prune_candidate {
  rao emission = 0;                ///< last epoch's combined emission
  std::uint64_t registered_at = 0;
  bool immortal = false;           ///< an owner hotkey that is never pruned
};

/// The uid a registration into a full subnet replaces: among mortal uids the lowest emission,
/// then the earliest registration, then the lowest uid; non-immune uids (height -
/// registered_at >= immunity_period) first, but only while more than `min_non_immune` of them
/// exist, else the best immune one. nullopt when every uid is immortal.
std::optional<uid_t> neuron_to_prune(std::span<const prune_candidate> uids, std::uint64_t height,
                                     std::uint16_t immunity_period, std::uint16_t min_non_immune);

/// The first checks of set_weights / reveal (section 4.1), before the setter is looked up:
/// errc::weights_length_mismatch, errc::too_many_weights (more than `n`).
status check_weights_shape(std::span<const std::uint16_t> uids,
                           std::span<const std::uint16_t> values, std::uint32_t n);

/// The uid that sets weights, as the checks see it.
struct weights_setter {
  uid_t uid = 0;
  bool is_owner = false;  ///< the subnet's owner hotkey: exempt from stake and permit checks
  rao stake = 0;
  std::uint64_t last_update = 0;
  bool permit = false;
};

/// The remaining checks of section 4.1, in subtensor's order: stake threshold, version key,
/// rate limit (skipped when `check_rate_limit` is false: a reveal was rate-limited at its
/// commit), validator permit (a lone self-weight and the owner are exempt), duplicate uids,
/// unknown uids (>= n), too few weights (fewer than min(min_allowed_weights, n); a lone
/// self-weight is exempt), and the max weight limit on the max-upscaled values. Errors:
/// stake_below_threshold, stale_version_key, weights_rate_limited (naming the next block),
/// no_validator_permit, duplicate_uids, unknown_uid, too_few_weights, weight_over_limit.
status check_weights(const weights_setter& who, const subnet_hyperparams& hp, std::uint32_t n,
                     std::uint64_t height, std::span<const std::uint16_t> uids,
                     std::span<const std::uint16_t> values, std::uint64_t version_key,
                     bool check_rate_limit = true);

/// The row set_weights stores: values max-upscaled (section 4.1), explicit zeros kept,
/// sorted by uid. `uids` must hold no duplicates.
u16_row weights_row(std::span<const std::uint16_t> uids, std::span<const std::uint16_t> values);

/// The hash commit_weights carries: blake2b-256("synod/commit_weights" || hotkey || netuid u16
/// LE || count u32 LE || uids u16 LE || count u32 LE || values u16 LE || salt length u32 LE ||
/// salt || version_key u64 LE). Validators compute it off chain; reveal_weights recomputes it.
hash32 weights_commit_hash(const public_key& hotkey, netuid_t netuid,
                           std::span<const std::uint16_t> uids,
                           std::span<const std::uint16_t> values, byte_view salt,
                           std::uint64_t version_key);

}  // namespace synod::chain
