// The subnet calls of issue 3 (subtensor-economics.md sections 4.1, 4.6, 4.7, 5). Each runs
// on a child overlay: returning an error drops every write it made.

#include "subnet_calls.hpp"

#include <algorithm>

#include "synod/chain/errc.hpp"
#include "synod/chain/subnet_rules.hpp"

namespace synod::chain::detail {
namespace {

std::string num(std::uint64_t v) { return std::to_string(v); }

result<subnet_info> need_subnet(const state_view& s, netuid_t netuid) {
  auto info = netuid == root_netuid ? std::nullopt : get_subnet(s, netuid);
  if (!info) return error(errc::subnet_not_found, "no subnet has netuid " + num(netuid));
  return *info;
}

// The signer (a coldkey) must own `hotkey`.
status need_own_hotkey(const state_view& s, const public_key& signer, const public_key& hotkey) {
  auto owner = hotkey_owner(s, hotkey);
  if (!owner) return error(errc::hotkey_not_registered, "hotkey " + hotkey.hex() + " is not registered");
  if (*owner != signer)
    return error(errc::not_hotkey_owner, "hotkey " + hotkey.hex() + " belongs to " + owner->hex());
  return ok();
}

result<uid_t> need_uid(const state_view& s, netuid_t netuid, const public_key& hotkey) {
  auto uid = get_uid(s, netuid, hotkey);
  if (!uid)
    return error(errc::not_in_subnet, "hotkey " + hotkey.hex() + " has no uid in subnet " + num(netuid));
  return *uid;
}

void add_locked(overlay& s, rao locked) {
  auto t = get_totals(s);
  t.locked += locked;
  put_totals(s, t);
}

// A registration burn is recycled (DESIGN.md, as subtensor): it leaves the holdings and total
// issuance. (totals.burned counts what is destroyed apart from that: the owner's incentive.)
void recycle(overlay& s, rao amount) {
  auto t = get_totals(s);
  t.issuance -= amount;
  put_totals(s, t);
}

netuid_t free_netuid(const state_view& s) {
  netuid_t n = 1;
  while (get_subnet(s, n)) ++n;  // at most subnet_limit subnets exist
  return n;
}

// subtensor get_immune_owner_hotkeys: the owner coldkey's hotkeys in the subnet, most recent
// registration first (then lowest uid), at most immune_owner_uids_limit of them, always
// including the subnet's owner hotkey when it has a uid.
std::vector<bool> immortal_uids(const state_view& s, const subnet_info& info,
                                const std::vector<neuron>& neurons) {
  std::vector<std::pair<std::uint64_t, uid_t>> owned;  // (registered_at, uid)
  std::optional<uid_t> owner_uid;
  for (std::size_t uid = 0; uid < neurons.size(); ++uid) {
    if (neurons[uid].hotkey == info.owner_hotkey) owner_uid = static_cast<uid_t>(uid);
    if (hotkey_owner(s, neurons[uid].hotkey) == info.owner_coldkey)
      owned.emplace_back(neurons[uid].registered_at, static_cast<uid_t>(uid));
  }
  std::sort(owned.begin(), owned.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const std::size_t limit = info.hp.immune_owner_uids_limit;
  if (owned.size() > limit) owned.resize(limit);
  if (owner_uid && std::none_of(owned.begin(), owned.end(),
                                [&](const auto& o) { return o.second == *owner_uid; })) {
    if (!owned.empty() && owned.size() >= limit) owned.pop_back();
    owned.emplace_back(0, *owner_uid);
  }
  std::vector<bool> immortal(neurons.size(), false);
  for (const auto& o : owned) immortal[o.second] = true;
  return immortal;
}

std::optional<uid_t> uid_to_replace(const state_view& s, netuid_t netuid, const subnet_info& info,
                                    std::uint64_t height) {
  std::vector<neuron> neurons;
  for (std::uint32_t uid = 0; uid < info.neuron_count; ++uid)
    neurons.push_back(get_neuron(s, netuid, static_cast<uid_t>(uid)).value_or(neuron{}));
  auto immortal = immortal_uids(s, info, neurons);
  std::vector<prune_candidate> candidates;
  for (std::size_t uid = 0; uid < neurons.size(); ++uid)
    candidates.push_back({neurons[uid].emission, neurons[uid].registered_at, immortal[uid]});
  return neuron_to_prune(candidates, height, info.hp.immunity_period, info.hp.min_non_immune_uids);
}

void add_neuron(overlay& s, netuid_t netuid, uid_t uid, const public_key& hotkey,
                std::uint64_t height) {
  neuron n;
  n.hotkey = hotkey;
  n.registered_at = n.last_update = height;
  put_neuron(s, netuid, uid, n);
  put_uid(s, netuid, hotkey, uid);
}

// subtensor replace_neuron + clear_neuron (section 4.6): the uid starts afresh under the new
// hotkey; its own weights, bonds and endpoint go, other rows keep their entry for it, set to 0.
void replace_neuron(overlay& s, netuid_t netuid, const subnet_info& info, uid_t uid,
                    const public_key& hotkey, std::uint64_t height) {
  if (auto old = get_neuron(s, netuid, uid)) {
    erase_uid(s, netuid, old->hotkey);
    put_commits(s, netuid, old->hotkey, {});
  }
  put_weights(s, netuid, uid, {});
  put_bonds(s, netuid, uid, {});
  erase_axon(s, netuid, uid);
  for (std::uint32_t j = 0; j < info.neuron_count; ++j) {
    auto row = get_weights(s, netuid, static_cast<uid_t>(j));
    auto it = std::find_if(row.begin(), row.end(), [&](const u16_entry& e) { return e.uid == uid; });
    if (it == row.end() || it->value == 0) continue;
    it->value = 0;
    put_weights(s, netuid, static_cast<uid_t>(j), row);
  }
  add_neuron(s, netuid, uid, hotkey, height);
}

// set_weights and reveal_weights after their own checks: the shape, the setter, the rules of
// section 4.1, then storage. A reveal skips the rate limit and leaves LastUpdate.
status store_weights(overlay& s, netuid_t netuid, const subnet_info& info, const public_key& hotkey,
                     std::uint64_t height, std::span<const std::uint16_t> uids,
                     std::span<const std::uint16_t> values, std::uint64_t version_key,
                     bool reveal) {
  SYNOD_TRY(check_weights_shape(uids, values, info.neuron_count));
  auto uid = need_uid(s, netuid, hotkey);
  if (!uid) return std::move(uid).error();
  auto n = get_neuron(s, netuid, *uid).value_or(neuron{});
  weights_setter who{*uid, hotkey == info.owner_hotkey, get_hotkey_stake(s, hotkey), n.last_update,
                     n.validator_permit};
  SYNOD_TRY(check_weights(who, info.hp, info.neuron_count, height, uids, values, version_key,
                          !reveal));
  put_weights(s, netuid, *uid, weights_row(uids, values));
  if (!reveal) {
    n.last_update = height;
    put_neuron(s, netuid, *uid, n);
  }
  return ok();
}

std::string next_block(std::uint64_t last, std::uint64_t limit) {
  return "; next allowed at block " + num(last + limit);
}

}  // namespace

result<neuron_slot> find_neuron_slot(const state_view& s, netuid_t netuid, const subnet_info& info,
                                     const public_key& hotkey, std::uint64_t height) {
  if (auto uid = get_uid(s, netuid, hotkey))
    return error(errc::hotkey_in_subnet, "hotkey " + hotkey.hex() + " already has uid " +
                                             num(*uid) + " in subnet " + num(netuid));
  if (info.neuron_count < info.hp.max_allowed_uids)
    return neuron_slot{static_cast<uid_t>(info.neuron_count), false};
  auto replaced = uid_to_replace(s, netuid, info, height);
  if (!replaced)
    return error(errc::no_uid_available, "subnet " + num(netuid) +
                                             " is full and every neuron is an owner's");
  return neuron_slot{*replaced, true};
}

void seat_neuron(overlay& s, netuid_t netuid, subnet_info& info, neuron_slot slot,
                 const public_key& hotkey, std::uint64_t height) {
  if (slot.replaces) {
    replace_neuron(s, netuid, info, slot.uid, hotkey, height);
  } else {
    add_neuron(s, netuid, slot.uid, hotkey, height);
    ++info.neuron_count;
  }
}

status run(overlay& s, const public_key& signer, std::uint64_t height, const register_subnet_call& c) {
  SYNOD_TRY(need_own_hotkey(s, signer, c.hotkey));
  auto net = get_network(s);
  if (auto last = get_last_subnet_registration(s, signer);
      last && height - *last < net.network_rate_limit)
    return error(errc::network_rate_limited, "coldkey registered a subnet at block " + num(*last) +
                                                 next_block(*last, net.network_rate_limit));
  if (net.subnet_count >= net.subnet_limit)
    return error(errc::subnet_limit_reached, num(net.subnet_count) + " subnets exist, the limit is " +
                                                 num(net.subnet_limit));
  const rao cost = lock_cost(net, height);
  SYNOD_TRY(debit(s, signer, cost, "subnet lock"));
  const netuid_t netuid = free_netuid(s);
  subnet_info info;
  info.owner_coldkey = signer;
  info.owner_hotkey = c.hotkey;
  info.registered_at = info.burn_block = height;
  info.locked = cost;
  // Staggered so subnets do not all run their epochs in one block (section 2.14).
  info.last_epoch_block = height - std::min<std::uint64_t>(height, netuid % info.hp.tempo);
  info.burn = std::clamp(rao_per_tao, info.hp.min_burn, info.hp.max_burn);
  info.neuron_count = 1;
  put_subnet(s, netuid, info);
  add_neuron(s, netuid, 0, c.hotkey, height);  // the owner hotkey takes uid 0, as in subtensor
  net.last_lock = cost;
  net.last_lock_block = height;
  ++net.subnet_count;
  put_network(s, net);
  put_last_subnet_registration(s, signer, height);
  add_locked(s, cost);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t height,
           const set_subnet_hyperparams_call& c) {
  auto info = need_subnet(s, c.netuid);
  if (!info) return std::move(info).error();
  if (info->owner_coldkey != signer)
    return error(errc::not_subnet_owner, "subnet " + num(c.netuid) + " is owned by " +
                                             info->owner_coldkey.hex());
  // The price so far decayed under the old parameters; the new ones apply from here on.
  info->burn = burn_at(*info, height);
  info->burn_block = height;
  for (const auto& change : c.changes) SYNOD_TRY(apply_hyperparam(info->hp, change));
  SYNOD_TRY(check_hyperparams(info->hp, info->neuron_count));
  put_subnet(s, c.netuid, *info);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t height, const burned_register_call& c) {
  auto info = need_subnet(s, c.netuid);
  if (!info) return std::move(info).error();
  if (!info->hp.registration_allowed)
    return error(errc::registration_disabled, "subnet " + num(c.netuid) + " takes no registrations");
  SYNOD_TRY(need_own_hotkey(s, signer, c.hotkey));
  auto slot = find_neuron_slot(s, c.netuid, *info, c.hotkey, height);
  if (!slot) return std::move(slot).error();
  const rao price = burn_at(*info, height);
  SYNOD_TRY(debit(s, signer, price, "registration burn"));
  recycle(s, price);
  info->burn = bump_burn(price, burn_params_of(info->hp));
  info->burn_block = height;
  seat_neuron(s, c.netuid, *info, *slot, c.hotkey, height);
  put_subnet(s, c.netuid, *info);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t height, const serve_call& c) {
  auto info = need_subnet(s, c.netuid);
  if (!info) return std::move(info).error();
  auto uid = need_uid(s, c.netuid, signer);
  if (!uid) return std::move(uid).error();
  if (c.ip_type != 4 && c.ip_type != 6)
    return error(errc::bad_endpoint, "ip type " + num(c.ip_type) + " is neither 4 nor 6");
  if (c.ip_type == 4 && std::any_of(c.ip.begin(), c.ip.begin() + 12, [](auto b) { return b != 0; }))
    return error(errc::bad_endpoint, "an IPv4 address must sit in the last 4 of the 16 ip bytes");
  if (std::all_of(c.ip.begin(), c.ip.end(), [](auto b) { return b == 0; }))
    return error(errc::bad_endpoint, "the unspecified address cannot be served");
  if (c.port == 0) return error(errc::bad_endpoint, "port 0 cannot be served");
  if (c.protocol > 2)
    return error(errc::bad_endpoint, "protocol " + num(c.protocol) + " is not 0 (tcp), 1 (udp) or 2");
  if (auto prior = get_axon(s, c.netuid, *uid);
      prior && height - prior->block < info->hp.serving_rate_limit)
    return error(errc::serve_rate_limited, "uid " + num(*uid) + " served at block " +
                                               num(prior->block) +
                                               next_block(prior->block, info->hp.serving_rate_limit));
  put_axon(s, c.netuid, *uid, {c.ip, height, c.version, c.port, c.ip_type, c.protocol});
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t height, const set_weights_call& c) {
  auto info = need_subnet(s, c.netuid);
  if (!info) return std::move(info).error();
  if (info->hp.commit_reveal)
    return error(errc::commit_reveal_enabled, "subnet " + num(c.netuid) +
                                                  " takes weights by commit_weights and reveal_weights");
  return store_weights(s, c.netuid, *info, signer, height, c.uids, c.values, c.version_key, false);
}

status run(overlay& s, const public_key& signer, std::uint64_t height, const commit_weights_call& c) {
  auto info = need_subnet(s, c.netuid);
  if (!info) return std::move(info).error();
  if (!info->hp.commit_reveal)
    return error(errc::commit_reveal_disabled, "subnet " + num(c.netuid) + " takes plain set_weights");
  auto uid = need_uid(s, c.netuid, signer);
  if (!uid) return std::move(uid).error();
  auto n = get_neuron(s, c.netuid, *uid).value_or(neuron{});
  const auto limit = info->hp.weights_rate_limit;
  if (n.last_update != 0 && height - n.last_update < limit)
    return error(errc::weights_rate_limited, "uid " + num(*uid) + " last set or committed weights at block " +
                                                 num(n.last_update) + next_block(n.last_update, limit));
  const auto epoch = current_epoch(*info, height);
  auto commits = get_commits(s, c.netuid, signer);
  std::erase_if(commits, [&](const weight_commit& w) {
    return epoch > w.epoch + info->hp.reveal_period_epochs;  // expired: dropped first
  });
  if (commits.size() >= max_unrevealed_commits)
    return error(errc::too_many_commits, "uid " + num(*uid) + " already has " +
                                             num(commits.size()) + " unrevealed commits");
  commits.push_back({c.hash, epoch, height});
  put_commits(s, c.netuid, signer, commits);
  n.last_update = height;
  put_neuron(s, c.netuid, *uid, n);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t height, const reveal_weights_call& c) {
  auto info = need_subnet(s, c.netuid);
  if (!info) return std::move(info).error();
  if (!info->hp.commit_reveal)
    return error(errc::commit_reveal_disabled, "subnet " + num(c.netuid) + " takes plain set_weights");
  auto uid = need_uid(s, c.netuid, signer);
  if (!uid) return std::move(uid).error();
  auto commits = get_commits(s, c.netuid, signer);
  if (commits.empty())
    return error(errc::no_weight_commit, "uid " + num(*uid) + " has no unrevealed commit");
  const auto hash = weights_commit_hash(signer, c.netuid, c.uids, c.values, c.salt, c.version_key);
  auto it = std::find_if(commits.begin(), commits.end(),
                         [&](const weight_commit& w) { return w.hash == hash; });
  if (it == commits.end())
    return error(errc::reveal_mismatch, "no commit of uid " + num(*uid) +
                                            " matches these weights, salt and version key");
  const auto epoch = current_epoch(*info, height);
  const auto reveal_epoch = it->epoch + info->hp.reveal_period_epochs;
  const std::string when = "committed in epoch " + num(it->epoch) + ", revealable in epoch " +
                           num(reveal_epoch) + ", now epoch " + num(epoch);
  if (epoch < reveal_epoch) return error(errc::reveal_too_early, "reveal too early: " + when);
  if (epoch > reveal_epoch) return error(errc::reveal_too_late, "commit expired: " + when);
  commits.erase(commits.begin(), it + 1);  // this commit and every older one
  put_commits(s, c.netuid, signer, commits);
  return store_weights(s, c.netuid, *info, signer, height, c.uids, c.values, c.version_key, true);
}

status run(overlay& s, const public_key& signer, std::uint64_t height,
           const set_delegate_take_call& c) {
  SYNOD_TRY(need_own_hotkey(s, signer, c.hotkey));
  const auto net = get_network(s);
  if (c.take < net.min_delegate_take || c.take > net.max_delegate_take)
    return error(errc::take_out_of_range, "take " + num(c.take) + " is out of range [" +
                                              num(net.min_delegate_take) + ", " +
                                              num(net.max_delegate_take) + "]");
  const auto d = get_delegate(s, c.hotkey);
  // As subtensor: lowering the take is always allowed, raising it is rate-limited.
  if (c.take > d.take && d.last_change != 0 && height - d.last_change < net.delegate_take_rate_limit)
    return error(errc::take_rate_limited, "take last changed at block " + num(d.last_change) +
                                              next_block(d.last_change, net.delegate_take_rate_limit));
  put_delegate(s, c.hotkey, {c.take, height});
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t height,
           const set_root_weights_call& c) {
  if (!hotkey_owner(s, signer))
    return error(errc::hotkey_not_registered, "signer " + signer.hex() + " is not a registered hotkey");
  if (c.netuids.size() != c.values.size())
    return error(errc::weights_length_mismatch, num(c.netuids.size()) + " netuids but " +
                                                    num(c.values.size()) + " values");
  std::vector<std::uint16_t> sorted = c.netuids;
  std::sort(sorted.begin(), sorted.end());
  if (auto d = std::adjacent_find(sorted.begin(), sorted.end()); d != sorted.end())
    return error(errc::duplicate_uids, "netuid " + num(*d) + " is listed twice");
  for (std::uint16_t netuid : c.netuids) {
    auto info = need_subnet(s, netuid);
    if (!info) return std::move(info).error();
  }
  put_root_vote(s, signer, {height, weights_row(c.netuids, c.values)});
  add_to_key_set(s, root_voters_key(), signer);  // resolved into shares by subnet_epoch.cpp
  return ok();
}

}  // namespace synod::chain::detail
