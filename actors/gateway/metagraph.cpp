#include "actors/gateway/metagraph.hpp"

#include <algorithm>

#include "synod/chain/errc.hpp"
#include "synod/chain/subnet_rules.hpp"

namespace synod::actors {
namespace {

using chain::hyperparam;

// Encoded sizes, generously rounded up, for the page budget: a neuron table with its keys and
// an axon, and one (uid, value) row entry.
constexpr std::size_t neuron_bytes = 320;
constexpr std::size_t entry_bytes = sizeof(net::uid_value);

std::uint64_t value_of(const chain::subnet_hyperparams& hp, hyperparam id) {
  switch (id) {
    case hyperparam::tempo: return hp.tempo;
    case hyperparam::kappa: return hp.kappa;
    case hyperparam::bonds_moving_average: return hp.bonds_moving_average;
    case hyperparam::bonds_penalty: return hp.bonds_penalty;
    case hyperparam::yuma3: return hp.yuma3;
    case hyperparam::liquid_alpha: return hp.liquid_alpha;
    case hyperparam::alpha_low: return hp.alpha_low;
    case hyperparam::alpha_high: return hp.alpha_high;
    case hyperparam::alpha_sigmoid_steepness:  // two's complement, as the protocol says
      return static_cast<std::uint64_t>(static_cast<std::int64_t>(hp.alpha_sigmoid_steepness));
    case hyperparam::activity_cutoff_factor_milli: return hp.activity_cutoff_factor_milli;
    case hyperparam::max_allowed_uids: return hp.max_allowed_uids;
    case hyperparam::max_allowed_validators: return hp.max_allowed_validators;
    case hyperparam::min_allowed_weights: return hp.min_allowed_weights;
    case hyperparam::max_weights_limit: return hp.max_weights_limit;
    case hyperparam::weights_rate_limit: return hp.weights_rate_limit;
    case hyperparam::weights_version_key: return hp.weights_version_key;
    case hyperparam::immunity_period: return hp.immunity_period;
    case hyperparam::min_non_immune_uids: return hp.min_non_immune_uids;
    case hyperparam::immune_owner_uids_limit: return hp.immune_owner_uids_limit;
    case hyperparam::stake_threshold: return hp.stake_threshold;
    case hyperparam::min_burn: return hp.min_burn;
    case hyperparam::max_burn: return hp.max_burn;
    case hyperparam::burn_half_life: return hp.burn_half_life;
    case hyperparam::burn_increase_mult_q32: return hp.burn_increase_mult_q32;
    case hyperparam::commit_reveal: return hp.commit_reveal;
    case hyperparam::reveal_period_epochs: return hp.reveal_period_epochs;
    case hyperparam::serving_rate_limit: return hp.serving_rate_limit;
    case hyperparam::registration_allowed: return hp.registration_allowed;
  }
  return 0;
}

net::subnet_info view_of(const chain::subnet_info& s, chain::netuid_t netuid,
                         std::uint64_t height) {
  net::subnet_info v{height, netuid, s.owner_coldkey, s.owner_hotkey, s.registered_at, s.locked,
                     s.last_epoch_block, s.epoch_index, 0, s.burn, s.burn_block,
                     chain::burn_at(s, height + 1), s.neuron_count, {}};
  // The first block after the head at which chain::epoch_due holds.
  if (s.hp.tempo > 0) v.next_epoch_block = std::max(s.last_epoch_block + s.hp.tempo, height + 1);
  for (std::uint8_t id = 1; id <= chain::hyperparam_count; ++id)
    v.hyperparams.push_back({id, value_of(s.hp, static_cast<hyperparam>(id))});
  return v;
}

std::vector<net::uid_value> row_of(const chain::u16_row& row) {
  std::vector<net::uid_value> out;
  out.reserve(row.size());
  for (const auto& e : row) out.push_back({e.uid, e.value});
  return out;
}

net::neuron_view neuron_of(const chain::state_view& s, const net::get_metagraph& r,
                           chain::uid_t uid) {
  auto n = chain::get_neuron(s, r.netuid, uid).value_or(chain::neuron{});
  net::neuron_view v{uid, n.hotkey, chain::hotkey_owner(s, n.hotkey),
                     chain::get_hotkey_stake(s, n.hotkey), n.registered_at, n.last_update,
                     n.emission, n.rank, n.trust, n.consensus, n.incentive, n.dividends,
                     n.validator_trust, n.validator_permit, n.active, std::nullopt,
                     std::nullopt, std::nullopt};
  if (auto a = chain::get_axon(s, r.netuid, uid))
    v.axon = net::axon_view{a->ip, a->port, a->ip_type, a->protocol, a->version, a->block};
  if (r.weights) v.weights = row_of(chain::get_weights(s, r.netuid, uid));
  if (r.bonds) v.bonds = row_of(chain::get_bonds(s, r.netuid, uid));
  return v;
}

std::size_t size_of(const net::neuron_view& n) {
  std::size_t entries = (n.weights ? n.weights->size() : 0) + (n.bonds ? n.bonds->size() : 0);
  return neuron_bytes + entry_bytes * entries;
}

std::optional<chain::subnet_info> find_subnet(const chain::state_view& s, std::uint16_t netuid) {
  if (netuid == chain::root_netuid) return std::nullopt;
  return chain::get_subnet(s, netuid);
}

net::error_info not_found(std::uint16_t netuid) {
  return net::to_error_info(error(chain::errc::subnet_not_found,
                                  "no subnet has netuid " + std::to_string(netuid)));
}

}  // namespace

net::response_body answer_subnet(const chain::state_view& s, std::uint64_t height,
                                 const net::get_subnet& r) {
  auto info = find_subnet(s, r.netuid);
  if (!info) return not_found(r.netuid);
  return view_of(*info, r.netuid, height);
}

net::response_body answer_subnets(const chain::state_view& s, std::uint64_t height) {
  net::subnet_list out{height, {}};
  const auto count = chain::get_network(s).subnet_count;
  // Netuids are handed out lowest-free-first, so the subnets sit low; the bound only guards
  // against a count that disagrees with the records.
  for (std::uint32_t netuid = 1; netuid <= 65535 && out.subnets.size() < count; ++netuid) {
    if (auto info = chain::get_subnet(s, static_cast<chain::netuid_t>(netuid)))
      out.subnets.push_back(view_of(*info, static_cast<chain::netuid_t>(netuid), height));
  }
  return out;
}

net::response_body answer_metagraph(const chain::state_view& s, std::uint64_t height,
                                    const net::get_metagraph& r) {
  auto info = find_subnet(s, r.netuid);
  if (!info) return not_found(r.netuid);
  net::metagraph_page page{view_of(*info, r.netuid, height), r.first_uid, r.first_uid, {}};
  std::size_t budget = net::max_metagraph_page_bytes - 4096;  // the subnet header and framing
  std::uint32_t limit = r.max_neurons == 0 ? chain::max_subnet_size : r.max_neurons;
  for (std::uint32_t uid = r.first_uid; uid < info->neuron_count && page.neurons.size() < limit;
       ++uid) {
    auto n = neuron_of(s, r, static_cast<chain::uid_t>(uid));
    const auto size = size_of(n);
    if (size > budget && !page.neurons.empty()) break;
    budget -= std::min(size, budget);
    page.neurons.push_back(std::move(n));
    page.next_uid = uid + 1;
  }
  return page;
}

}  // namespace synod::actors
