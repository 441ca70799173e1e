#pragma once
/// Subnet state: typed records of the subnet keyspace (schemas/state.fbs). Keys are one tag
/// byte (records.hpp key_tag) then fixed-size fields; netuid and uid are u16 big-endian so key
/// order is numeric order:
///   'G'                          -> NetworkRecord   (lock state and network constants)
///   'N' netuid                   -> SubnetRecord    (owner, hyperparameters, burn, epoch clock)
///   'n' netuid uid               -> NeuronRecord    (hotkey, blocks, permit, epoch outputs)
///   'u' netuid hotkey(32)        -> UidRecord       (hotkey -> uid in that subnet)
///   'x' netuid uid               -> AxonRecord      (endpoint from serve)
///   'w' netuid uid               -> row             (weights set by uid)
///   'b' netuid uid               -> row             (bonds held by uid)
///   'c' netuid hotkey(32)        -> WeightCommit... (unrevealed commits, oldest first)
///   'd' hotkey(32)               -> DelegateRecord  (take)
///   'r' hotkey(32)               -> block u64 LE, then a row over netuids (root vote)
///   'S' hotkey(32)               -> StakeRecord     (total stake on the hotkey, every coldkey)
///   'L' coldkey(32)              -> BlockRecord     (its last subnet registration)
///   'P' netuid                   -> StakeRecord     (emission waiting for the next epoch)
///   'D' hotkey(32)               -> coldkeys(32 each, ascending) staked on the hotkey
///   'E'                          -> row             (each subnet's share of block emission)
///   'R'                          -> hotkeys(32 each, ascending) that cast a root vote
/// A row is RowEntry (uid u16 LE, value u16 LE) pairs in increasing uid order; explicit zero
/// values are kept (the epoch's masks see them). An empty row, a missing neuron, a zero stake
/// and an empty commit queue are deleted, not stored. Pure functions over a state; any thread
/// that owns the state.

#include <array>
#include <optional>
#include <vector>

#include "synod/chain/records.hpp"
#include "synod/consensus/sparse.hpp"

namespace synod::chain {

using netuid_t = std::uint16_t;
using uid_t = std::uint16_t;
using consensus::u16_entry;
using consensus::u16_row;

/// Netuid 0 is the root network: it holds no neurons; its validators vote over subnets.
inline constexpr netuid_t root_netuid = 0;
/// uids are u16, so a subnet holds at most 65536 neurons.
inline constexpr std::uint32_t max_subnet_size = 65536;

/// Chain-wide subnet state and constants (subtensor-economics.md section 3, "global" rows).
struct network_state {
  rao last_lock = 0;
  std::uint64_t last_lock_block = 0;
  rao min_lock_cost = 1000 * rao_per_tao;         ///< NetworkMinLockCost
  std::uint64_t lock_reduction_interval = 100'800; ///< NetworkLockReductionInterval
  std::uint64_t network_rate_limit = 7'200;        ///< per coldkey
  std::uint64_t delegate_take_rate_limit = 216'000;
  std::uint16_t subnet_count = 0;
  std::uint16_t subnet_limit = 128;
  std::uint16_t max_delegate_take = 11'796;  ///< 18%
  std::uint16_t min_delegate_take = 0;
  friend bool operator==(const network_state&, const network_state&) = default;
};

/// The owner-settable hyperparameters, defaulting to subtensor's new-subnet values (section 3,
/// column "New-subnet value"). Ranges are checked by check_hyperparams (subnet_rules.hpp).
struct subnet_hyperparams {
  std::uint16_t tempo = 360;
  std::uint16_t kappa = 32'767;
  std::uint64_t bonds_moving_average = 900'000;
  std::uint16_t bonds_penalty = 65'535;
  bool yuma3 = true;
  bool liquid_alpha = false;
  std::uint16_t alpha_low = 45'875;
  std::uint16_t alpha_high = 58'982;
  std::int16_t alpha_sigmoid_steepness = 1'000;
  std::uint32_t activity_cutoff_factor_milli = 13'889;
  std::uint32_t max_allowed_uids = 256;
  std::uint16_t max_allowed_validators = 64;
  std::uint16_t min_allowed_weights = 1;
  std::uint16_t max_weights_limit = 65'535;
  std::uint64_t weights_rate_limit = 100;
  std::uint64_t weights_version_key = 0;
  std::uint16_t immunity_period = 5'000;
  std::uint16_t min_non_immune_uids = 10;
  std::uint16_t immune_owner_uids_limit = 1;
  std::uint64_t stake_threshold = 0;
  rao min_burn = 500'000;
  rao max_burn = 100 * rao_per_tao;
  std::uint16_t burn_half_life = 360;
  std::uint64_t burn_increase_mult_q32 = 5'411'658'793;  ///< 1.26 in Q32
  bool commit_reveal = true;
  std::uint16_t reveal_period_epochs = 1;
  std::uint64_t serving_rate_limit = 50;
  bool registration_allowed = true;
  friend bool operator==(const subnet_hyperparams&, const subnet_hyperparams&) = default;
};

struct subnet_info {
  public_key owner_coldkey;
  public_key owner_hotkey;
  std::uint64_t registered_at = 0;
  rao locked = 0;
  std::uint64_t last_epoch_block = 0;  ///< the epoch engine moves it (section 2.14)
  std::uint64_t epoch_index = 0;       ///< epochs run so far
  rao burn = rao_per_tao;              ///< registration price as of burn_block
  std::uint64_t burn_block = 0;
  std::uint32_t neuron_count = 0;
  subnet_hyperparams hp;
  friend bool operator==(const subnet_info&, const subnet_info&) = default;
};

/// A neuron and the outputs of its subnet's last epoch (u16: 65535 = 1.0; emission in rao).
struct neuron {
  public_key hotkey;
  std::uint64_t registered_at = 0;
  std::uint64_t last_update = 0;
  rao emission = 0;
  std::uint16_t rank = 0, trust = 0, consensus = 0, incentive = 0, dividends = 0,
                validator_trust = 0;
  bool validator_permit = false;
  bool active = false;
  friend bool operator==(const neuron&, const neuron&) = default;
};

struct axon_info {
  std::array<std::uint8_t, 16> ip{};  ///< IPv4 in the last 4 bytes
  std::uint64_t block = 0;
  std::uint32_t version = 0;
  std::uint16_t port = 0;
  std::uint8_t ip_type = 4;
  std::uint8_t protocol = 0;
  friend bool operator==(const axon_info&, const axon_info&) = default;
};

struct weight_commit {
  hash32 hash;
  std::uint64_t epoch = 0;
  std::uint64_t block = 0;
  friend bool operator==(const weight_commit&, const weight_commit&) = default;
};

struct delegate_info {
  std::uint16_t take = 11'796;  ///< the default for a hotkey that never set one
  std::uint64_t last_change = 0;
  friend bool operator==(const delegate_info&, const delegate_info&) = default;
};

/// A root validator's vote: weights over netuids, stored max-upscaled like subnet weights.
struct root_vote {
  std::uint64_t block = 0;
  u16_row weights;  ///< uid field = netuid
  friend bool operator==(const root_vote&, const root_vote&) = default;
};

bytes network_key();
bytes subnet_key(netuid_t netuid);
bytes neuron_key(netuid_t netuid, uid_t uid);
bytes uid_key(netuid_t netuid, const public_key& hotkey);
bytes axon_key(netuid_t netuid, uid_t uid);
bytes weights_key(netuid_t netuid, uid_t uid);
bytes bonds_key(netuid_t netuid, uid_t uid);
bytes commits_key(netuid_t netuid, const public_key& hotkey);
bytes delegate_key(const public_key& hotkey);
bytes root_vote_key(const public_key& hotkey);
bytes hotkey_stake_key(const public_key& hotkey);
bytes last_subnet_registration_key(const public_key& coldkey);

/// Defaults when the record was never written.
network_state get_network(const state_view& s);
void put_network(overlay& s, const network_state& n);

std::optional<subnet_info> get_subnet(const state_view& s, netuid_t netuid);
void put_subnet(overlay& s, netuid_t netuid, const subnet_info& info);

std::optional<neuron> get_neuron(const state_view& s, netuid_t netuid, uid_t uid);
void put_neuron(overlay& s, netuid_t netuid, uid_t uid, const neuron& n);

std::optional<uid_t> get_uid(const state_view& s, netuid_t netuid, const public_key& hotkey);
void put_uid(overlay& s, netuid_t netuid, const public_key& hotkey, uid_t uid);
void erase_uid(overlay& s, netuid_t netuid, const public_key& hotkey);

std::optional<axon_info> get_axon(const state_view& s, netuid_t netuid, uid_t uid);
void put_axon(overlay& s, netuid_t netuid, uid_t uid, const axon_info& a);
void erase_axon(overlay& s, netuid_t netuid, uid_t uid);

/// Rows: `row` must be sorted by uid without duplicates (checked: std::invalid_argument, a bug).
u16_row get_weights(const state_view& s, netuid_t netuid, uid_t uid);
void put_weights(overlay& s, netuid_t netuid, uid_t uid, const u16_row& row);
u16_row get_bonds(const state_view& s, netuid_t netuid, uid_t uid);
void put_bonds(overlay& s, netuid_t netuid, uid_t uid, const u16_row& row);

std::vector<weight_commit> get_commits(const state_view& s, netuid_t netuid,
                                       const public_key& hotkey);
void put_commits(overlay& s, netuid_t netuid, const public_key& hotkey,
                 const std::vector<weight_commit>& commits);

delegate_info get_delegate(const state_view& s, const public_key& hotkey);
void put_delegate(overlay& s, const public_key& hotkey, const delegate_info& d);

std::optional<root_vote> get_root_vote(const state_view& s, const public_key& hotkey);
void put_root_vote(overlay& s, const public_key& hotkey, const root_vote& v);

/// Total stake on a hotkey over every coldkey (kept by add_stake / remove_stake).
rao get_hotkey_stake(const state_view& s, const public_key& hotkey);
void put_hotkey_stake(overlay& s, const public_key& hotkey, rao amount);

std::optional<std::uint64_t> get_last_subnet_registration(const state_view& s,
                                                          const public_key& coldkey);
void put_last_subnet_registration(overlay& s, const public_key& coldkey, std::uint64_t block);

bytes subnet_pending_key(netuid_t netuid);
bytes stakers_key(const public_key& hotkey);
bytes emission_shares_key();
bytes root_voters_key();

/// Emission a subnet accrued since its last epoch (part of totals.pending_emission).
rao get_subnet_pending(const state_view& s, netuid_t netuid);
void put_subnet_pending(overlay& s, netuid_t netuid, rao amount);

/// A sorted set of keys under one record: the coldkeys staked on a hotkey, the root voters.
std::vector<public_key> get_key_set(const state_view& s, const bytes& key);
/// Adds or removes `k`; returns whether the set changed.
bool add_to_key_set(overlay& s, const bytes& key, const public_key& k);
bool remove_from_key_set(overlay& s, const bytes& key, const public_key& k);

/// Adds `amount` to `coldkey`'s stake on `hotkey`, keeping the hotkey's total, its set of
/// stakers and totals.total_stake in step. The caller takes the amount from where it was.
void credit_stake(overlay& s, const public_key& hotkey, const public_key& coldkey, rao amount);
/// The reverse; `amount` must not exceed that stake (checked by the caller).
void debit_stake(overlay& s, const public_key& hotkey, const public_key& coldkey, rao amount);

/// Each subnet's share of block emission, as resolved from root votes (uid field = netuid);
/// empty until a vote was resolved: then every subnet gets an equal share.
u16_row get_emission_shares(const state_view& s);
void put_emission_shares(overlay& s, const u16_row& shares);

}  // namespace synod::chain
