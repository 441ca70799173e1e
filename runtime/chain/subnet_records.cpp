#include <algorithm>
#include <stdexcept>

#include "fb_convert.hpp"
#include "record_io.hpp"
#include "synod/chain/subnet.hpp"
#include "synod/schemas/state_generated.h"

namespace synod::chain {
namespace {

using detail::append_be16;
using detail::from_fb;
using detail::read_record;
using detail::to_fb;
using detail::write_record;

// Each key in one allocation: the tag byte, then `rest` more bytes appended by the caller.
bytes key_start(key_tag tag, std::size_t rest) {
  bytes out;
  out.reserve(1 + rest);
  out.push_back(static_cast<std::uint8_t>(tag));
  return out;
}

bytes key_of(key_tag tag) { return key_start(tag, 0); }

bytes key_of(key_tag tag, const public_key& k) {
  bytes out = key_start(tag, k.data.size());
  out.insert(out.end(), k.data.begin(), k.data.end());
  return out;
}

bytes key_of(key_tag tag, netuid_t netuid) {
  bytes out = key_start(tag, 2);
  append_be16(out, netuid);
  return out;
}

bytes key_of(key_tag tag, netuid_t netuid, uid_t uid) {
  bytes out = key_start(tag, 4);
  append_be16(out, netuid);
  append_be16(out, uid);
  return out;
}

bytes key_of(key_tag tag, netuid_t netuid, const public_key& k) {
  bytes out = key_start(tag, 2 + k.data.size());
  append_be16(out, netuid);
  out.insert(out.end(), k.data.begin(), k.data.end());
  return out;
}

fb::SubnetHyperparams to_record(const subnet_hyperparams& h) {
  fb::SubnetHyperparams r;
  r.mutate_weights_rate_limit(h.weights_rate_limit);
  r.mutate_weights_version_key(h.weights_version_key);
  r.mutate_stake_threshold(h.stake_threshold);
  r.mutate_min_burn(h.min_burn);
  r.mutate_max_burn(h.max_burn);
  r.mutate_burn_increase_mult_q32(h.burn_increase_mult_q32);
  r.mutate_bonds_moving_average(h.bonds_moving_average);
  r.mutate_serving_rate_limit(h.serving_rate_limit);
  r.mutate_activity_cutoff_factor_milli(h.activity_cutoff_factor_milli);
  r.mutate_max_allowed_uids(h.max_allowed_uids);
  r.mutate_tempo(h.tempo);
  r.mutate_kappa(h.kappa);
  r.mutate_bonds_penalty(h.bonds_penalty);
  r.mutate_alpha_low(h.alpha_low);
  r.mutate_alpha_high(h.alpha_high);
  r.mutate_max_allowed_validators(h.max_allowed_validators);
  r.mutate_min_allowed_weights(h.min_allowed_weights);
  r.mutate_max_weights_limit(h.max_weights_limit);
  r.mutate_immunity_period(h.immunity_period);
  r.mutate_min_non_immune_uids(h.min_non_immune_uids);
  r.mutate_immune_owner_uids_limit(h.immune_owner_uids_limit);
  r.mutate_burn_half_life(h.burn_half_life);
  r.mutate_reveal_period_epochs(h.reveal_period_epochs);
  r.mutate_alpha_sigmoid_steepness(h.alpha_sigmoid_steepness);
  r.mutate_yuma3(h.yuma3);
  r.mutate_liquid_alpha(h.liquid_alpha);
  r.mutate_commit_reveal(h.commit_reveal);
  r.mutate_registration_allowed(h.registration_allowed);
  return r;
}

subnet_hyperparams from_record(const fb::SubnetHyperparams& r) {
  subnet_hyperparams h;
  h.weights_rate_limit = r.weights_rate_limit();
  h.weights_version_key = r.weights_version_key();
  h.stake_threshold = r.stake_threshold();
  h.min_burn = r.min_burn();
  h.max_burn = r.max_burn();
  h.burn_increase_mult_q32 = r.burn_increase_mult_q32();
  h.bonds_moving_average = r.bonds_moving_average();
  h.serving_rate_limit = r.serving_rate_limit();
  h.activity_cutoff_factor_milli = r.activity_cutoff_factor_milli();
  h.max_allowed_uids = r.max_allowed_uids();
  h.tempo = r.tempo();
  h.kappa = r.kappa();
  h.bonds_penalty = r.bonds_penalty();
  h.alpha_low = r.alpha_low();
  h.alpha_high = r.alpha_high();
  h.max_allowed_validators = r.max_allowed_validators();
  h.min_allowed_weights = r.min_allowed_weights();
  h.max_weights_limit = r.max_weights_limit();
  h.immunity_period = r.immunity_period();
  h.min_non_immune_uids = r.min_non_immune_uids();
  h.immune_owner_uids_limit = r.immune_owner_uids_limit();
  h.burn_half_life = r.burn_half_life();
  h.reveal_period_epochs = r.reveal_period_epochs();
  h.alpha_sigmoid_steepness = r.alpha_sigmoid_steepness();
  h.yuma3 = r.yuma3();
  h.liquid_alpha = r.liquid_alpha();
  h.commit_reveal = r.commit_reveal();
  h.registration_allowed = r.registration_allowed();
  return h;
}

u16_row read_row(std::optional<bytes> raw) {
  u16_row row;
  if (!raw) return row;
  for (const auto& e : detail::read_records<fb::RowEntry>(*raw)) row.push_back({e.uid(), e.value()});
  return row;
}

bytes encode_row(const u16_row& row) {
  bytes out;
  out.reserve(row.size() * sizeof(fb::RowEntry));
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0 && row[i - 1].uid >= row[i].uid)
      throw std::invalid_argument("a stored row must be sorted by uid without duplicates");
    detail::append_record(out, fb::RowEntry(row[i].uid, row[i].value));
  }
  return out;
}

void put_row(overlay& s, const bytes& key, const u16_row& row) {
  if (row.empty()) return s.erase(key);
  s.put(key, encode_row(row));
}

}  // namespace

bytes network_key() { return key_of(key_tag::network); }
bytes subnet_key(netuid_t netuid) { return key_of(key_tag::subnet, netuid); }
bytes neuron_key(netuid_t netuid, uid_t uid) { return key_of(key_tag::neuron, netuid, uid); }
bytes uid_key(netuid_t netuid, const public_key& hotkey) {
  return key_of(key_tag::uid, netuid, hotkey);
}
bytes axon_key(netuid_t netuid, uid_t uid) { return key_of(key_tag::axon, netuid, uid); }
bytes weights_key(netuid_t netuid, uid_t uid) { return key_of(key_tag::weights, netuid, uid); }
bytes bonds_key(netuid_t netuid, uid_t uid) { return key_of(key_tag::bonds, netuid, uid); }
bytes commits_key(netuid_t netuid, const public_key& hotkey) {
  return key_of(key_tag::commits, netuid, hotkey);
}
bytes delegate_key(const public_key& hotkey) { return key_of(key_tag::delegate, hotkey); }
bytes root_vote_key(const public_key& hotkey) { return key_of(key_tag::root_vote, hotkey); }
bytes hotkey_stake_key(const public_key& hotkey) { return key_of(key_tag::hotkey_stake, hotkey); }
bytes last_subnet_registration_key(const public_key& coldkey) {
  return key_of(key_tag::last_subnet_registration, coldkey);
}

network_state get_network(const state_view& s) {
  auto r = read_record<fb::NetworkRecord>(s, network_key());
  if (!r) return {};
  return {r->last_lock(),          r->last_lock_block(),          r->min_lock_cost(),
          r->lock_reduction_interval(), r->network_rate_limit(), r->delegate_take_rate_limit(),
          r->subnet_count(),       r->subnet_limit(),             r->max_delegate_take(),
          r->min_delegate_take()};
}

void put_network(overlay& s, const network_state& n) {
  write_record(s, network_key(),
               fb::NetworkRecord(n.last_lock, n.last_lock_block, n.min_lock_cost,
                                 n.lock_reduction_interval, n.network_rate_limit,
                                 n.delegate_take_rate_limit, n.subnet_count, n.subnet_limit,
                                 n.max_delegate_take, n.min_delegate_take));
}

std::optional<subnet_info> get_subnet(const state_view& s, netuid_t netuid) {
  auto r = read_record<fb::SubnetRecord>(s, subnet_key(netuid));
  if (!r) return std::nullopt;
  return subnet_info{from_fb<32>(r->owner_coldkey()), from_fb<32>(r->owner_hotkey()),
                     r->registered_at(), r->locked(), r->last_epoch_block(), r->epoch_index(),
                     r->burn(), r->burn_block(), r->neuron_count(), from_record(r->hyperparams())};
}

void put_subnet(overlay& s, netuid_t netuid, const subnet_info& i) {
  write_record(s, subnet_key(netuid),
               fb::SubnetRecord(to_fb(i.owner_coldkey), to_fb(i.owner_hotkey), i.registered_at,
                                i.locked, i.last_epoch_block, i.epoch_index, i.burn, i.burn_block,
                                i.neuron_count, to_record(i.hp)));
}

std::optional<neuron> get_neuron(const state_view& s, netuid_t netuid, uid_t uid) {
  auto r = read_record<fb::NeuronRecord>(s, neuron_key(netuid, uid));
  if (!r) return std::nullopt;
  return neuron{from_fb<32>(r->hotkey()), r->registered_at(), r->last_update(), r->emission(),
                r->rank(), r->trust(), r->consensus(), r->incentive(), r->dividends(),
                r->validator_trust(), r->validator_permit(), r->active()};
}

void put_neuron(overlay& s, netuid_t netuid, uid_t uid, const neuron& n) {
  write_record(s, neuron_key(netuid, uid),
               fb::NeuronRecord(to_fb(n.hotkey), n.registered_at, n.last_update, n.emission,
                                n.rank, n.trust, n.consensus, n.incentive, n.dividends,
                                n.validator_trust, n.validator_permit, n.active));
}

std::optional<uid_t> get_uid(const state_view& s, netuid_t netuid, const public_key& hotkey) {
  auto r = read_record<fb::UidRecord>(s, uid_key(netuid, hotkey));
  if (!r) return std::nullopt;
  return r->uid();
}

void put_uid(overlay& s, netuid_t netuid, const public_key& hotkey, uid_t uid) {
  write_record(s, uid_key(netuid, hotkey), fb::UidRecord(uid));
}

void erase_uid(overlay& s, netuid_t netuid, const public_key& hotkey) {
  s.erase(uid_key(netuid, hotkey));
}

std::optional<axon_info> get_axon(const state_view& s, netuid_t netuid, uid_t uid) {
  auto r = read_record<fb::AxonRecord>(s, axon_key(netuid, uid));
  if (!r) return std::nullopt;
  axon_info a;
  std::copy(r->ip()->begin(), r->ip()->end(), a.ip.begin());
  a.block = r->block();
  a.version = r->version();
  a.port = r->port();
  a.ip_type = r->ip_type();
  a.protocol = r->protocol();
  return a;
}

void put_axon(overlay& s, netuid_t netuid, uid_t uid, const axon_info& a) {
  write_record(s, axon_key(netuid, uid),
               fb::AxonRecord(flatbuffers::span<const std::uint8_t, 16>(a.ip.data(), 16), a.block,
                              a.version, a.port, a.ip_type, a.protocol));
}

void erase_axon(overlay& s, netuid_t netuid, uid_t uid) { s.erase(axon_key(netuid, uid)); }

u16_row get_weights(const state_view& s, netuid_t netuid, uid_t uid) {
  return read_row(s.get(weights_key(netuid, uid)));
}
void put_weights(overlay& s, netuid_t netuid, uid_t uid, const u16_row& row) {
  put_row(s, weights_key(netuid, uid), row);
}
u16_row get_bonds(const state_view& s, netuid_t netuid, uid_t uid) {
  return read_row(s.get(bonds_key(netuid, uid)));
}
void put_bonds(overlay& s, netuid_t netuid, uid_t uid, const u16_row& row) {
  put_row(s, bonds_key(netuid, uid), row);
}

std::vector<weight_commit> get_commits(const state_view& s, netuid_t netuid,
                                       const public_key& hotkey) {
  std::vector<weight_commit> out;
  auto raw = s.get(commits_key(netuid, hotkey));
  if (!raw) return out;
  for (const auto& c : detail::read_records<fb::WeightCommit>(*raw))
    out.push_back({from_fb<32>(c.hash()), c.epoch(), c.block()});
  return out;
}

void put_commits(overlay& s, netuid_t netuid, const public_key& hotkey,
                 const std::vector<weight_commit>& commits) {
  if (commits.empty()) return s.erase(commits_key(netuid, hotkey));
  bytes out;
  for (const auto& c : commits)
    detail::append_record(out, fb::WeightCommit(to_fb(c.hash), c.epoch, c.block));
  s.put(commits_key(netuid, hotkey), out);
}

delegate_info get_delegate(const state_view& s, const public_key& hotkey) {
  auto r = read_record<fb::DelegateRecord>(s, delegate_key(hotkey));
  if (!r) return {};
  return {r->take(), r->last_change()};
}

void put_delegate(overlay& s, const public_key& hotkey, const delegate_info& d) {
  write_record(s, delegate_key(hotkey), fb::DelegateRecord(d.last_change, d.take));
}

std::optional<root_vote> get_root_vote(const state_view& s, const public_key& hotkey) {
  auto raw = s.get(root_vote_key(hotkey));
  if (!raw || raw->size() < 8) return std::nullopt;
  root_vote v;
  for (int i = 7; i >= 0; --i) v.block = v.block << 8 | (*raw)[static_cast<std::size_t>(i)];
  v.weights = read_row(bytes(raw->begin() + 8, raw->end()));
  return v;
}

void put_root_vote(overlay& s, const public_key& hotkey, const root_vote& v) {
  bytes out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v.block >> (8 * i)));
  auto row = encode_row(v.weights);
  out.insert(out.end(), row.begin(), row.end());
  s.put(root_vote_key(hotkey), out);
}

rao get_hotkey_stake(const state_view& s, const public_key& hotkey) {
  auto r = read_record<fb::StakeRecord>(s, hotkey_stake_key(hotkey));
  return r ? r->amount() : 0;
}

void put_hotkey_stake(overlay& s, const public_key& hotkey, rao amount) {
  if (amount == 0) return s.erase(hotkey_stake_key(hotkey));
  write_record(s, hotkey_stake_key(hotkey), fb::StakeRecord(amount));
}

std::optional<std::uint64_t> get_last_subnet_registration(const state_view& s,
                                                          const public_key& coldkey) {
  auto r = read_record<fb::BlockRecord>(s, last_subnet_registration_key(coldkey));
  if (!r) return std::nullopt;
  return r->block();
}

void put_last_subnet_registration(overlay& s, const public_key& coldkey, std::uint64_t block) {
  write_record(s, last_subnet_registration_key(coldkey), fb::BlockRecord(block));
}

bytes subnet_pending_key(netuid_t netuid) { return key_of(key_tag::subnet_pending, netuid); }
bytes stakers_key(const public_key& hotkey) { return key_of(key_tag::stakers, hotkey); }
bytes emission_shares_key() { return key_of(key_tag::emission_shares); }
bytes root_voters_key() { return key_of(key_tag::root_voters); }

rao get_subnet_pending(const state_view& s, netuid_t netuid) {
  auto r = read_record<fb::StakeRecord>(s, subnet_pending_key(netuid));
  return r ? r->amount() : 0;
}

void put_subnet_pending(overlay& s, netuid_t netuid, rao amount) {
  if (amount == 0) return s.erase(subnet_pending_key(netuid));
  write_record(s, subnet_pending_key(netuid), fb::StakeRecord(amount));
}

std::vector<public_key> get_key_set(const state_view& s, const bytes& key) {
  std::vector<public_key> out;
  auto raw = s.get(key);
  if (!raw) return out;
  out.resize(raw->size() / 32);
  for (std::size_t i = 0; i < out.size(); ++i)
    std::copy_n(raw->begin() + static_cast<std::ptrdiff_t>(32 * i), 32, out[i].data.begin());
  return out;
}

namespace {

void put_key_set(overlay& s, const bytes& key, const std::vector<public_key>& set) {
  if (set.empty()) return s.erase(key);
  bytes raw;
  raw.reserve(32 * set.size());
  for (const auto& k : set) raw.insert(raw.end(), k.data.begin(), k.data.end());
  s.put(key, raw);
}

}  // namespace

bool add_to_key_set(overlay& s, const bytes& key, const public_key& k) {
  auto set = get_key_set(s, key);
  auto at = std::lower_bound(set.begin(), set.end(), k);
  if (at != set.end() && *at == k) return false;
  set.insert(at, k);
  put_key_set(s, key, set);
  return true;
}

bool remove_from_key_set(overlay& s, const bytes& key, const public_key& k) {
  auto set = get_key_set(s, key);
  auto at = std::lower_bound(set.begin(), set.end(), k);
  if (at == set.end() || *at != k) return false;
  set.erase(at);
  put_key_set(s, key, set);
  return true;
}

void credit_stake(overlay& s, const public_key& hotkey, const public_key& coldkey, rao amount) {
  if (amount == 0) return;
  const rao before = get_stake(s, hotkey, coldkey);
  put_stake(s, hotkey, coldkey, before + amount);
  put_hotkey_stake(s, hotkey, get_hotkey_stake(s, hotkey) + amount);
  if (before == 0) add_to_key_set(s, stakers_key(hotkey), coldkey);  // a staker already is in it
  auto t = get_totals(s);
  t.total_stake += amount;
  put_totals(s, t);
}

void debit_stake(overlay& s, const public_key& hotkey, const public_key& coldkey, rao amount) {
  if (amount == 0) return;
  rao left = get_stake(s, hotkey, coldkey) - amount;
  put_stake(s, hotkey, coldkey, left);
  put_hotkey_stake(s, hotkey, get_hotkey_stake(s, hotkey) - amount);
  if (left == 0) remove_from_key_set(s, stakers_key(hotkey), coldkey);
  auto t = get_totals(s);
  t.total_stake -= amount;
  put_totals(s, t);
}

u16_row get_emission_shares(const state_view& s) { return read_row(s.get(emission_shares_key())); }
void put_emission_shares(overlay& s, const u16_row& shares) { put_row(s, emission_shares_key(), shares); }

}  // namespace synod::chain
