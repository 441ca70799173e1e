#include "synod/chain/subnet_epoch.hpp"

#include <algorithm>

#include "synod/base/int128.hpp"
#include "synod/chain/emission.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/subnet_rules.hpp"

namespace synod::chain {
namespace {

using consensus::epoch_input;
using consensus::epoch_output;
using consensus::i64f64;

// floor(amount * num / den), exact (den > 0).
rao mul_div(rao amount, std::uint64_t num, std::uint64_t den) {
  return static_cast<rao>(static_cast<u128>(amount) * num / den);
}

consensus::yuma_params yuma_params_of(const subnet_hyperparams& hp) {
  consensus::yuma_params p;
  p.tempo = hp.tempo;
  p.kappa = hp.kappa;
  p.bonds_moving_average = hp.bonds_moving_average;
  p.bonds_penalty = hp.bonds_penalty;
  p.yuma3 = hp.yuma3;
  p.liquid_alpha = hp.liquid_alpha;
  p.alpha_low = hp.alpha_low;
  p.alpha_high = hp.alpha_high;
  p.alpha_sigmoid_steepness = hp.alpha_sigmoid_steepness;
  p.max_allowed_validators = hp.max_allowed_validators;
  p.activity_cutoff = consensus::activity_cutoff_blocks(hp.activity_cutoff_factor_milli, hp.tempo);
  p.stake_threshold = hp.stake_threshold;
  return p;
}

// Emission leaves the pending pool: as stake (already credited by the caller) or burned.
void leave_pending(overlay& s, rao paid, rao burned) {
  auto t = get_totals(s);
  t.pending_emission -= paid + burned;
  t.burned += burned;
  put_totals(s, t);
}

// A validator's dividends: its take to the hotkey's owner, the rest to every coldkey staked
// on it in proportion to that stake (what rounding leaves goes to the owner as well).
void pay_dividends(overlay& s, const public_key& hotkey, const public_key& owner, rao amount) {
  rao take = mul_div(amount, get_delegate(s, hotkey).take, 65535);
  rao rest = amount - take;
  rao total = get_hotkey_stake(s, hotkey);
  std::vector<std::pair<public_key, rao>> shares;
  if (total > 0)
    for (const auto& coldkey : get_key_set(s, stakers_key(hotkey)))
      if (rao share = mul_div(rest, get_stake(s, hotkey, coldkey), total); share > 0)
        shares.emplace_back(coldkey, share);
  rao shared = 0;
  for (const auto& [coldkey, share] : shares) {
    credit_stake(s, hotkey, coldkey, share);
    shared += share;
  }
  credit_stake(s, hotkey, owner, amount - shared);
}

}  // namespace

result<epoch_input> epoch_input_of(const state_view& s, netuid_t netuid, std::uint64_t height,
                                   rao emission) {
  auto info = get_subnet(s, netuid);
  if (!info) return error(errc::subnet_not_found, "no subnet has netuid " + std::to_string(netuid));
  const auto n = info->neuron_count;
  epoch_input in;
  in.block = height;
  in.last_mechanism_step_block = info->epoch_index > 0 ? info->last_epoch_block : 0;
  in.stake.reserve(n);
  in.registered_at.reserve(n);
  in.last_update.reserve(n);
  in.validator_permit.reserve(n);
  in.weights.reserve(n);
  in.bonds.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto uid = static_cast<uid_t>(i);
    auto nr = get_neuron(s, netuid, uid).value_or(neuron{});
    in.stake.push_back(i64f64::from_int(get_hotkey_stake(s, nr.hotkey)));
    in.registered_at.push_back(nr.registered_at);
    in.last_update.push_back(nr.last_update);
    in.validator_permit.push_back(nr.validator_permit);
    in.weights.push_back(get_weights(s, netuid, uid));
    in.bonds.push_back(get_bonds(s, netuid, uid));
    if (info->hp.commit_reveal) {
      std::optional<std::uint64_t> first;
      for (const auto& c : get_commits(s, netuid, nr.hotkey))
        if (!first || c.block < *first) first = c.block;
      in.first_commit_block.push_back(first);
    }
  }
  in.owner_uid = get_uid(s, netuid, info->owner_hotkey);
  in.params = yuma_params_of(info->hp);
  in.emission = emission;
  return in;
}

void store_epoch_output(overlay& s, netuid_t netuid, std::uint64_t height, const epoch_output& out) {
  auto info = get_subnet(s, netuid);
  if (!info) return;
  for (std::uint32_t i = 0; i < info->neuron_count && i < out.emission.size(); ++i) {
    const auto uid = static_cast<uid_t>(i);
    auto nr = get_neuron(s, netuid, uid).value_or(neuron{});
    nr.emission = out.emission[i];
    nr.consensus = out.consensus[i];
    nr.incentive = out.incentive[i];
    nr.dividends = out.dividends[i];
    nr.validator_trust = out.validator_trust[i];
    nr.validator_permit = out.validator_permit[i];
    nr.active = out.active[i];
    put_neuron(s, netuid, uid, nr);
    put_bonds(s, netuid, uid, out.bonds[i]);
  }
  info->last_epoch_block = height;
  ++info->epoch_index;
  put_subnet(s, netuid, *info);
}

result<epoch_output> run_epoch_only(overlay& s, netuid_t netuid, std::uint64_t height, rao emission) {
  auto in = epoch_input_of(s, netuid, height, emission);
  if (!in) return std::move(in).error();
  in->last_mechanism_step_block = 0;  // as subtensor's tests calling the epoch directly
  auto out = consensus::run_epoch(*in);
  if (!out) return out;
  store_epoch_output(s, netuid, height, *out);
  return out;
}

result<epoch_payout> run_subnet_epoch(overlay& s, netuid_t netuid, std::uint64_t height) {
  auto info = get_subnet(s, netuid);
  if (!info) return error(errc::subnet_not_found, "no subnet has netuid " + std::to_string(netuid));
  const rao pending = get_subnet_pending(s, netuid);
  epoch_payout paid;
  paid.owner_cut = split_subnet_emission(pending, subnet_owner_cut, 0, 0, 0, false).owner_cut;
  const rao pool = pending - paid.owner_cut;
  auto in = epoch_input_of(s, netuid, height, pool);
  auto out = in && info->neuron_count > 0 ? consensus::run_epoch(*in) : result<epoch_output>(epoch_output{});
  if (!out || info->neuron_count == 0) {
    // Nothing to score (or inputs the epoch refuses): the clock moves, the emission waits.
    info->last_epoch_block = height;
    ++info->epoch_index;
    put_subnet(s, netuid, *info);
    paid = {};
    paid.carried = pending;
    return paid;
  }
  store_epoch_output(s, netuid, height, *out);

  credit_stake(s, info->owner_hotkey, info->owner_coldkey, paid.owner_cut);
  const auto n = out->emission.size();
  std::vector<public_key> hotkeys(n);
  for (std::size_t i = 0; i < n; ++i)
    hotkeys[i] = get_neuron(s, netuid, static_cast<uid_t>(i)).value_or(neuron{}).hotkey;

  rao server_total = 0, validator_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    server_total += out->server_emission[i];
    validator_total += out->validator_emission[i];
  }
  // Miners: staked to the hotkey's owner; the subnet owner's own hotkeys are burned.
  for (std::size_t i = 0; i < n; ++i) {
    rao amount = out->server_emission[i];
    if (amount == 0) continue;
    auto owner = hotkey_owner(s, hotkeys[i]);
    if (!owner || *owner == info->owner_coldkey || hotkeys[i] == info->owner_hotkey) {
      paid.burned += amount;
    } else {
      credit_stake(s, hotkeys[i], *owner, amount);
      paid.incentive += amount;
    }
  }
  // Validators: when no miner earned anything, the miners' half goes to them as well.
  std::vector<rao> dividends(out->validator_emission.begin(), out->validator_emission.end());
  const rao unspent = pool - std::min(pool, server_total + validator_total);
  if (server_total == 0 && validator_total > 0)
    for (std::size_t i = 0; i < n; ++i) dividends[i] += mul_div(unspent, dividends[i], validator_total);
  for (std::size_t i = 0; i < n; ++i) {
    if (dividends[i] == 0) continue;
    if (auto owner = hotkey_owner(s, hotkeys[i])) {
      pay_dividends(s, hotkeys[i], *owner, dividends[i]);
      paid.dividends += dividends[i];
    } else {
      paid.burned += dividends[i];
    }
  }
  const rao spent = paid.owner_cut + paid.incentive + paid.dividends + paid.burned;
  paid.carried = pending - spent;
  put_subnet_pending(s, netuid, paid.carried);
  leave_pending(s, spent - paid.burned, paid.burned);
  return paid;
}

u16_row resolve_root_shares(const state_view& s, std::uint64_t height) {
  const auto subnets = get_network(s).subnet_count;
  std::vector<std::pair<rao, public_key>> voters;
  for (const auto& hk : get_key_set(s, root_voters_key()))
    if (rao stake = get_hotkey_stake(s, hk); stake > 0) voters.emplace_back(stake, hk);
  if (voters.empty() || subnets == 0) return {};
  std::sort(voters.begin(), voters.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (voters.size() > max_root_voters) voters.resize(max_root_voters);

  // uids 0..V-1: the voters; V + netuid - 1: the subnets, which hold no stake and set nothing.
  const std::size_t v = voters.size(), n = v + subnets;
  epoch_input in;
  in.block = height;
  in.stake.assign(n, i64f64{});
  in.registered_at.assign(n, 0);
  in.last_update.assign(n, 0);
  in.validator_permit.assign(n, false);
  in.weights.assign(n, {});
  in.bonds.assign(n, {});
  for (std::size_t i = 0; i < v; ++i) {
    in.stake[i] = i64f64::from_int(voters[i].first);
    in.validator_permit[i] = true;
    auto vote = get_root_vote(s, voters[i].second);
    if (!vote) continue;
    in.last_update[i] = vote->block;
    for (const auto& e : vote->weights)
      if (e.uid >= 1 && e.uid <= subnets)
        in.weights[i].push_back({static_cast<std::uint16_t>(v + e.uid - 1), e.value});
  }
  in.params.tempo = root_tempo;
  in.params.max_allowed_validators = max_root_voters;
  in.params.activity_cutoff = 50'400;  // a vote stands for about a week of 12 s blocks
  in.emission = rao_per_tao;
  auto out = consensus::run_epoch(in);
  if (!out) return {};
  u16_row shares;
  for (std::uint16_t netuid = 1; netuid <= subnets; ++netuid)
    if (auto x = out->incentive[v + netuid - 1]; x > 0) shares.push_back({netuid, x});
  return shares;
}

void subnets_end_block(overlay& s, std::uint64_t height) {
  const auto subnets = get_network(s).subnet_count;
  if (subnets == 0) return;
  if (height % root_tempo == 0) put_emission_shares(s, resolve_root_shares(s, height));

  std::vector<std::uint64_t> weight(subnets + 1u, 0);
  for (const auto& e : get_emission_shares(s))
    if (e.uid >= 1 && e.uid <= subnets) weight[e.uid] = e.value;
  std::uint64_t total = 0;
  for (netuid_t i = 1; i <= subnets; ++i) total += weight[i];
  if (total == 0) {  // nobody voted: equal shares
    std::fill(weight.begin() + 1, weight.end(), 1);
    total = subnets;
  }
  // What the pool holds beyond the subnets' pending amounts: this block's reward, what was
  // minted before any subnet existed, and earlier rounding dust. (Netuids 1..count all exist:
  // subnets are never dissolved.)
  std::vector<rao> pending(subnets + 1u, 0);
  rao assigned = 0;
  for (netuid_t i = 1; i <= subnets; ++i) assigned += pending[i] = get_subnet_pending(s, i);
  const rao unassigned = get_totals(s).pending_emission - assigned;
  for (netuid_t i = 1; i <= subnets; ++i)
    if (rao share = mul_div(unassigned, weight[i], total); share > 0)
      put_subnet_pending(s, i, pending[i] + share);
  for (netuid_t i = 1; i <= subnets; ++i)
    if (auto info = get_subnet(s, i); info && epoch_due(*info, height)) (void)run_subnet_epoch(s, i, height);
}

}  // namespace synod::chain
