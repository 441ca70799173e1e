#include "synod/chain/subnet_rules.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "synod/base/int128.hpp"
#include "synod/chain/errc.hpp"
#include "synod/consensus/fixed.hpp"
#include "synod/consensus/weights.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::chain {
namespace {

using consensus::i32f32;

std::string num(std::uint64_t v) { return std::to_string(v); }

error out_of_range(hyperparam h, std::uint64_t v, std::string range) {
  return error(errc::hyperparam_out_of_range, std::string(hyperparam_name(h)) + " " + num(v) +
                                                  " is out of range " + range);
}

status in_range(hyperparam h, std::uint64_t v, std::uint64_t lo, std::uint64_t hi) {
  if (v < lo || v > hi) return out_of_range(h, v, "[" + num(lo) + ", " + num(hi) + "]");
  return ok();
}

// Stores `v` into a field of type T, rejecting what does not fit.
template <class T>
status assign(T& field, hyperparam h, std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
    return out_of_range(h, v, "[0, " + num(std::numeric_limits<T>::max()) + "]");
  field = static_cast<T>(v);
  return ok();
}

status assign_bool(bool& field, hyperparam h, std::uint64_t v) {
  if (v > 1) return out_of_range(h, v, "{0, 1}");
  field = v == 1;
  return ok();
}

void hash_u16s(crypto::hasher& h, std::span<const std::uint16_t> v) {
  for (std::uint16_t x : v) {
    std::uint8_t le[2] = {static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(x >> 8)};
    h.update(le);
  }
}

void hash_u32(crypto::hasher& h, std::uint32_t v) {
  std::uint8_t le[4];
  for (int i = 0; i < 4; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
  h.update(le);
}

}  // namespace

rao lock_cost(const network_state& n, std::uint64_t height) noexcept {
  if (n.last_lock == 0) return n.min_lock_cost;
  u128 doubled = u128{n.last_lock} * 2;
  u128 reduction = 0;
  if (n.lock_reduction_interval != 0 && height > n.last_lock_block)
    reduction = u128{n.last_lock / n.lock_reduction_interval} * (height - n.last_lock_block);
  u128 cost = doubled > reduction ? doubled - reduction : 0;
  cost = std::max<u128>(cost, n.min_lock_cost);
  return static_cast<rao>(std::min<u128>(cost, std::numeric_limits<rao>::max()));
}

burn_params burn_params_of(const subnet_hyperparams& hp) noexcept {
  return {hp.burn_half_life, hp.burn_increase_mult_q32, hp.min_burn, hp.max_burn};
}

rao burn_at(const subnet_info& s, std::uint64_t height) noexcept {
  const auto p = burn_params_of(s.hp);
  rao burn = s.burn;
  // Per block, as subtensor does on every block; stops once a step changes nothing (the
  // clamp's floor, or no decay), so the loop is bounded by the decay, not the gap.
  for (std::uint64_t b = s.burn_block; b < height; ++b) {
    rao next = decay_burn(burn, p);
    if (next == burn) break;
    burn = next;
  }
  return burn;
}

bool epoch_due(const subnet_info& s, std::uint64_t height) noexcept {
  return s.hp.tempo != 0 && height >= s.last_epoch_block &&
         height - s.last_epoch_block >= s.hp.tempo;
}

std::uint64_t current_epoch(const subnet_info& s, std::uint64_t height) noexcept {
  return s.epoch_index + (epoch_due(s, height) ? 1 : 0);
}

status apply_hyperparam(subnet_hyperparams& hp, const hyperparam_change& c) {
  const auto v = c.value;
  switch (c.id) {
    case hyperparam::tempo: return assign(hp.tempo, c.id, v);
    case hyperparam::kappa: return assign(hp.kappa, c.id, v);
    case hyperparam::bonds_moving_average: return assign(hp.bonds_moving_average, c.id, v);
    case hyperparam::bonds_penalty: return assign(hp.bonds_penalty, c.id, v);
    case hyperparam::yuma3: return assign_bool(hp.yuma3, c.id, v);
    case hyperparam::liquid_alpha: return assign_bool(hp.liquid_alpha, c.id, v);
    case hyperparam::alpha_low: return assign(hp.alpha_low, c.id, v);
    case hyperparam::alpha_high: return assign(hp.alpha_high, c.id, v);
    case hyperparam::alpha_sigmoid_steepness: return assign(hp.alpha_sigmoid_steepness, c.id, v);
    case hyperparam::activity_cutoff_factor_milli:
      return assign(hp.activity_cutoff_factor_milli, c.id, v);
    case hyperparam::max_allowed_uids: return assign(hp.max_allowed_uids, c.id, v);
    case hyperparam::max_allowed_validators: return assign(hp.max_allowed_validators, c.id, v);
    case hyperparam::min_allowed_weights: return assign(hp.min_allowed_weights, c.id, v);
    case hyperparam::max_weights_limit: return assign(hp.max_weights_limit, c.id, v);
    case hyperparam::weights_rate_limit: return assign(hp.weights_rate_limit, c.id, v);
    case hyperparam::weights_version_key: return assign(hp.weights_version_key, c.id, v);
    case hyperparam::immunity_period: return assign(hp.immunity_period, c.id, v);
    case hyperparam::min_non_immune_uids: return assign(hp.min_non_immune_uids, c.id, v);
    case hyperparam::immune_owner_uids_limit: return assign(hp.immune_owner_uids_limit, c.id, v);
    case hyperparam::stake_threshold: return assign(hp.stake_threshold, c.id, v);
    case hyperparam::min_burn: return assign(hp.min_burn, c.id, v);
    case hyperparam::max_burn: return assign(hp.max_burn, c.id, v);
    case hyperparam::burn_half_life: return assign(hp.burn_half_life, c.id, v);
    case hyperparam::burn_increase_mult_q32: return assign(hp.burn_increase_mult_q32, c.id, v);
    case hyperparam::commit_reveal: return assign_bool(hp.commit_reveal, c.id, v);
    case hyperparam::reveal_period_epochs: return assign(hp.reveal_period_epochs, c.id, v);
    case hyperparam::serving_rate_limit: return assign(hp.serving_rate_limit, c.id, v);
    case hyperparam::registration_allowed: return assign_bool(hp.registration_allowed, c.id, v);
  }
  return error(errc::hyperparam_out_of_range,
               "unknown hyperparameter id " + num(static_cast<std::uint8_t>(c.id)));
}

// Ranges: subtensor's owner limits where the reference gives them (section 3). Departures,
// each so the epoch scenarios and a fast localnet can run through this same call: tempo from
// 1 (subtensor: 360 with 12 s blocks), max_allowed_uids from the current size (subtensor: 64).
status check_hyperparams(const subnet_hyperparams& hp, std::uint32_t neuron_count) {
  using h = hyperparam;
  SYNOD_TRY(in_range(h::tempo, hp.tempo, 1, 50'400));
  SYNOD_TRY(in_range(h::bonds_moving_average, hp.bonds_moving_average, 0, 975'000));
  SYNOD_TRY(in_range(h::alpha_high, hp.alpha_high, 52'428, 65'535));
  SYNOD_TRY(in_range(h::alpha_low, hp.alpha_low, 1'638, hp.alpha_high));
  SYNOD_TRY(in_range(h::activity_cutoff_factor_milli, hp.activity_cutoff_factor_milli, 1'000,
                     50'000));
  SYNOD_TRY(in_range(h::max_allowed_uids, hp.max_allowed_uids, std::max<std::uint32_t>(neuron_count, 1),
                     max_subnet_size));
  // More permits than uids just means every uid may hold one.
  SYNOD_TRY(in_range(h::max_allowed_validators, hp.max_allowed_validators, 1, 65'535));
  SYNOD_TRY(in_range(h::immune_owner_uids_limit, hp.immune_owner_uids_limit, 1, 10));
  SYNOD_TRY(in_range(h::stake_threshold, hp.stake_threshold, 0, max_supply));
  SYNOD_TRY(in_range(h::max_burn, hp.max_burn, 1, max_supply));
  SYNOD_TRY(in_range(h::min_burn, hp.min_burn, 0, hp.max_burn));
  SYNOD_TRY(in_range(h::burn_half_life, hp.burn_half_life, 1, 36'100));
  SYNOD_TRY(in_range(h::burn_increase_mult_q32, hp.burn_increase_mult_q32, std::uint64_t{1} << 32,
                     std::numeric_limits<std::uint64_t>::max()));
  SYNOD_TRY(in_range(h::reveal_period_epochs, hp.reveal_period_epochs, 1, 100));
  return ok();
}

std::optional<uid_t> neuron_to_prune(std::span<const prune_candidate> uids, std::uint64_t height,
                                     std::uint16_t immunity_period, std::uint16_t min_non_immune) {
  using key = std::tuple<rao, std::uint64_t, std::size_t>;
  std::optional<key> best_free, best_immune;
  std::size_t free_count = 0;
  for (std::size_t uid = 0; uid < uids.size(); ++uid) {
    const auto& c = uids[uid];
    if (c.immortal) continue;
    key k{c.emission, c.registered_at, uid};
    const bool immune = height < c.registered_at || height - c.registered_at < immunity_period;
    auto& best = immune ? best_immune : best_free;
    if (!immune) ++free_count;
    if (!best || k < *best) best = k;
  }
  if (best_free && free_count > min_non_immune) return static_cast<uid_t>(std::get<2>(*best_free));
  if (!best_immune) return std::nullopt;
  return static_cast<uid_t>(std::get<2>(*best_immune));
}

status check_weights_shape(std::span<const std::uint16_t> uids,
                           std::span<const std::uint16_t> values, std::uint32_t n) {
  if (uids.size() != values.size())
    return error(errc::weights_length_mismatch, num(uids.size()) + " uids but " +
                                                    num(values.size()) + " values");
  if (uids.size() > n)
    return error(errc::too_many_weights,
                 num(uids.size()) + " weights but the subnet has " + num(n) + " neurons");
  return ok();
}

status check_weights(const weights_setter& who, const subnet_hyperparams& hp, std::uint32_t n,
                     std::uint64_t height, std::span<const std::uint16_t> uids,
                     std::span<const std::uint16_t> values, std::uint64_t version_key,
                     bool check_rate_limit) {
  const std::string self = "uid " + num(who.uid);
  if (!who.is_owner && who.stake < hp.stake_threshold)
    return error(errc::stake_below_threshold, self + " has stake " + num(who.stake) +
                                                  " rao, setting weights needs " +
                                                  num(hp.stake_threshold));
  if (version_key < hp.weights_version_key)
    return error(errc::stale_version_key, "version key " + num(version_key) +
                                              " is below the subnet's " + num(hp.weights_version_key));
  if (check_rate_limit && who.last_update != 0 && height - who.last_update < hp.weights_rate_limit)
    return error(errc::weights_rate_limited,
                 self + " last set weights at block " + num(who.last_update) + "; next allowed at block " +
                     num(who.last_update + hp.weights_rate_limit));
  const bool self_weight = uids.size() == 1 && uids[0] == who.uid;
  if (!(self_weight || who.is_owner || who.permit))
    return error(errc::no_validator_permit, self + " has no validator permit");
  std::set<std::uint16_t> seen;
  for (std::uint16_t j : uids)
    if (!seen.insert(j).second) return error(errc::duplicate_uids, "uid " + num(j) + " is listed twice");
  for (std::uint16_t j : uids)
    if (j >= n)
      return error(errc::unknown_uid, "uid " + num(j) + " does not exist; the subnet has " +
                                          num(n) + " neurons");
  const auto min_len = std::min<std::uint32_t>(hp.min_allowed_weights, n);
  if (!self_weight && uids.size() < min_len)
    return error(errc::too_few_weights,
                 num(uids.size()) + " weights but the subnet needs at least " + num(min_len));
  if (self_weight || hp.max_weights_limit == 65535 || values.empty()) return ok();
  // subtensor check_max_weight_limit: each max-upscaled value over their sum, in I32F32.
  const auto stored = consensus::max_upscale(values);
  i32f32 total;
  for (std::uint16_t v : stored) total = total + i32f32::from_int(v);
  if (total == i32f32{}) return ok();
  const i32f32 limit = i32f32::from_u16_proportion(hp.max_weights_limit);
  for (std::size_t k = 0; k < stored.size(); ++k)
    if (safe_div(i32f32::from_int(stored[k]), total) > limit)
      return error(errc::weight_over_limit, "the weight on uid " + num(uids[k]) +
                                                " is over the limit of " +
                                                num(hp.max_weights_limit) + "/65535");
  return ok();
}

u16_row weights_row(std::span<const std::uint16_t> uids, std::span<const std::uint16_t> values) {
  const auto stored = consensus::max_upscale(values);
  u16_row row;
  row.reserve(uids.size());
  for (std::size_t k = 0; k < uids.size(); ++k) row.push_back({uids[k], stored[k]});
  std::sort(row.begin(), row.end(), [](const u16_entry& a, const u16_entry& b) { return a.uid < b.uid; });
  return row;
}

hash32 weights_commit_hash(const public_key& hotkey, netuid_t netuid,
                           std::span<const std::uint16_t> uids,
                           std::span<const std::uint16_t> values, byte_view salt,
                           std::uint64_t version_key) {
  crypto::hasher h;
  h.update(as_bytes("synod/commit_weights")).update(hotkey.view());
  hash_u16s(h, std::span<const std::uint16_t>(&netuid, 1));
  hash_u32(h, static_cast<std::uint32_t>(uids.size()));
  hash_u16s(h, uids);
  hash_u32(h, static_cast<std::uint32_t>(values.size()));
  hash_u16s(h, values);
  hash_u32(h, static_cast<std::uint32_t>(salt.size()));
  h.update(salt);
  h.update_u64_le(version_key);
  return h.finish();
}

}  // namespace synod::chain
