#pragma once
/// Subnet epochs on chain state, and the flow of block emission to subnets and their members
/// (subtensor-economics.md sections 2, 2.14, 4.4, 4.5; departures in docs/emission.md).
///
/// Per block (end_block, apply.hpp): the minted emission goes to the pending pool, and is
/// split among subnets by the stored root shares (equal until a root vote is resolved) into
/// each subnet's pending emission. When a subnet's epoch falls due (epoch_due), its pending
/// emission is distributed: the owner cut (18% by default) as stake on the owner hotkey, the
/// rest through the Yuma epoch: miners' incentive as stake on their hotkeys (an owner hotkey's
/// incentive is burned), validators' dividends shared after the delegate take with every
/// coldkey staked on the validator hotkey, pro rata. Integers and fixed point only.

#include "synod/consensus/epoch.hpp"
#include "synod/chain/subnet.hpp"

namespace synod::chain {

/// The epoch input of `netuid` as its state stands at `height`, distributing `emission`.
/// Errors: errc::subnet_not_found.
result<consensus::epoch_input> epoch_input_of(const state_view& s, netuid_t netuid,
                                              std::uint64_t height, rao emission);

/// Stores an epoch's outputs: each neuron's u16 outputs, emission, permit and activity, and
/// the bonds rows; moves the subnet's epoch clock (last_epoch_block = height, epoch_index + 1).
void store_epoch_output(overlay& s, netuid_t netuid, std::uint64_t height,
                        const consensus::epoch_output& out);

/// Runs the epoch of `netuid` at `height` over `emission` rao and stores its outputs, without
/// paying anyone (the scenario runner; run_subnet_epoch pays). Errors: errc::subnet_not_found,
/// consensus errors.
result<consensus::epoch_output> run_epoch_only(overlay& s, netuid_t netuid, std::uint64_t height,
                                               rao emission);

/// Blocks between two resolutions of the root votes into emission shares.
inline constexpr std::uint64_t root_tempo = 100;
/// Root voters that count: the most staked, like a subnet's validator permits.
inline constexpr std::uint16_t max_root_voters = 64;
/// The subnet owner's cut of each epoch's emission, /65535 (18%).
inline constexpr std::uint16_t subnet_owner_cut = 11'796;

/// Where one epoch's emission went, in rao. carried stays pending for the next epoch.
struct epoch_payout {
  rao owner_cut = 0;
  rao incentive = 0;  ///< staked to miners' hotkeys
  rao dividends = 0;  ///< staked to validators' hotkeys: take to the owner, rest pro rata
  rao burned = 0;     ///< incentive of the owner's hotkeys, and emission to unowned hotkeys
  rao carried = 0;
};

/// Runs the epoch of `netuid` at `height` and pays out its pending emission as above.
/// Errors: errc::subnet_not_found.
result<epoch_payout> run_subnet_epoch(overlay& s, netuid_t netuid, std::uint64_t height);

/// The root votes resolved by a Yuma epoch over (voters x subnets): each subnet's incentive
/// is its share. Empty when nobody voted or nothing reached consensus (equal shares).
u16_row resolve_root_shares(const state_view& s, std::uint64_t height);

/// The subnet part of a block's end (end_block, after minting): resolves the root votes every
/// root_tempo blocks, splits what the pending pool holds beyond the subnets' pending amounts
/// (this block's reward, anything minted before the first subnet existed, earlier rounding
/// dust) among the subnets by the shares, and runs the epochs that fall due.
void subnets_end_block(overlay& s, std::uint64_t height);

}  // namespace synod::chain
