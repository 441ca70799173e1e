#include "golden_subnet.hpp"

#include <algorithm>

#include "synod/chain/errc.hpp"
#include "synod/chain/subnet_rules.hpp"

namespace synod::consensus::testing {

hyperparam_map default_hyperparams() {
  return {{"tempo", 1},
          {"kappa", 32767},
          {"bonds_moving_average", 900000},
          {"bonds_penalty", 65535},
          {"yuma3", 0},
          {"liquid_alpha", 0},
          {"alpha_low", 45875},
          {"alpha_high", 58982},
          {"alpha_sigmoid_steepness", 1000},
          {"max_allowed_validators", 8},
          {"min_allowed_weights", 0},
          {"max_weights_limit", 65535},
          {"weights_rate_limit", 0},
          {"activity_cutoff_factor_milli", 13889},
          {"commit_reveal", 0},
          {"reveal_period_epochs", 1},
          {"immunity_period", 4096},
          {"min_non_immune_uids", 10},
          {"stake_threshold", 0},
          {"bonds_reset", 0}};
}

golden_subnet::golden_subnet(std::size_t max_uids, std::optional<std::string> owner_hotkey,
                             std::uint64_t emission, hyperparam_map hyperparams)
    : max_uids_(max_uids),
      owner_hotkey_(std::move(owner_hotkey)),
      emission_(emission),
      hp_(default_hyperparams()) {
  for (const auto& [name, value] : hyperparams) hp_[name] = value;
}

std::optional<std::size_t> golden_subnet::uid_of(const std::string& hotkey) const {
  auto it = std::find(hotkeys_.begin(), hotkeys_.end(), hotkey);
  if (it == hotkeys_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - hotkeys_.begin());
}

// The chain's own rule (chain::neuron_to_prune); only the owner hotkey is immortal here.
std::optional<std::size_t> golden_subnet::neuron_to_prune(std::uint64_t block) const {
  std::vector<chain::prune_candidate> uids;
  for (std::size_t uid = 0; uid < hotkeys_.size(); ++uid)
    uids.push_back({last_emission_[uid], registered_at_[uid], owner_hotkey_ == hotkeys_[uid]});
  auto uid = chain::neuron_to_prune(uids, block, static_cast<std::uint16_t>(hp_.at("immunity_period")),
                                    static_cast<std::uint16_t>(hp_.at("min_non_immune_uids")));
  if (!uid) return std::nullopt;
  return *uid;
}

// The uid starts afresh; other rows keep their entry for it, set to 0 (subtensor clear_neuron).
void golden_subnet::replace(std::size_t uid, std::uint64_t block) {
  registered_at_[uid] = last_update_[uid] = block;
  weights_[uid].clear();
  bonds_[uid].clear();
  permit_[uid] = false;
  last_emission_[uid] = 0;
  for (u16_row& row : weights_)
    for (u16_entry& e : row)
      if (e.uid == uid) e.value = 0;
}

std::optional<std::string> golden_subnet::register_neuron(std::uint64_t block,
                                                          const std::string& hotkey,
                                                          std::optional<std::uint64_t> stake) {
  if (uid_of(hotkey)) return "HotKeyAlreadyRegisteredInSubNet";
  if (hotkeys_.size() < max_uids_) {
    hotkeys_.push_back(hotkey);
    registered_at_.push_back(block);
    last_update_.push_back(block);
    last_emission_.push_back(0);
    permit_.push_back(false);
    weights_.emplace_back();
    bonds_.emplace_back();
  } else {
    auto uid = neuron_to_prune(block);
    if (!uid) return "NoNeuronIdAvailable";
    replace(*uid, block);
    hotkeys_[*uid] = hotkey;
  }
  if (stake) stake_[hotkey] = *stake;
  stake_.try_emplace(hotkey, 0);
  return std::nullopt;
}

// subtensor's name for each of the chain's set_weights rejections.
static std::string subtensor_name(const error& e) {
  switch (static_cast<chain::errc>(e.code())) {
    case chain::errc::weights_length_mismatch: return "WeightVecNotEqualSize";
    case chain::errc::too_many_weights: return "UidsLengthExceedUidsInSubNet";
    case chain::errc::stake_below_threshold: return "NotEnoughStakeToSetWeights";
    case chain::errc::stale_version_key: return "IncorrectWeightVersionKey";
    case chain::errc::weights_rate_limited: return "SettingWeightsTooFast";
    case chain::errc::no_validator_permit: return "NeuronNoValidatorPermit";
    case chain::errc::duplicate_uids: return "DuplicateUids";
    case chain::errc::unknown_uid: return "UidVecContainInvalidOne";
    case chain::errc::too_few_weights: return "WeightVecLengthIsLow";
    case chain::errc::weight_over_limit: return "MaxWeightExceeded";
    default: return e.to_string();
  }
}

// The chain's own checks (chain::check_weights) over this harness's state.
std::optional<std::string> golden_subnet::check_weights(
    std::uint64_t block, std::size_t uid, bool is_owner, const std::vector<std::uint16_t>& uids,
    const std::vector<std::uint16_t>& values) const {
  chain::subnet_hyperparams hp;
  hp.stake_threshold = static_cast<std::uint64_t>(hp_.at("stake_threshold"));
  hp.weights_rate_limit = static_cast<std::uint64_t>(hp_.at("weights_rate_limit"));
  hp.min_allowed_weights = static_cast<std::uint16_t>(hp_.at("min_allowed_weights"));
  hp.max_weights_limit = static_cast<std::uint16_t>(hp_.at("max_weights_limit"));
  hp.weights_version_key = 0;
  chain::weights_setter who{static_cast<chain::uid_t>(uid), is_owner, stake_.at(hotkeys_[uid]),
                            last_update_[uid], permit_[uid]};
  auto checked = chain::check_weights(who, hp, static_cast<std::uint32_t>(hotkeys_.size()), block,
                                      uids, values, 0);
  if (!checked) return subtensor_name(checked.error());
  return std::nullopt;
}

std::optional<std::string> golden_subnet::set_weights(std::uint64_t block,
                                                      const std::string& hotkey,
                                                      const std::vector<std::uint16_t>& uids,
                                                      const std::vector<std::uint16_t>& values) {
  if (hp_.at("commit_reveal") != 0) return "CommitRevealEnabled";
  if (auto shape = chain::check_weights_shape(uids, values,
                                              static_cast<std::uint32_t>(hotkeys_.size()));
      !shape)
    return subtensor_name(shape.error());
  auto uid = uid_of(hotkey);
  if (!uid) return "HotKeyNotRegisteredInSubNet";
  if (auto reject = check_weights(block, *uid, owner_hotkey_ == hotkey, uids, values))
    return reject;
  weights_[*uid] = chain::weights_row(uids, values);  // as the chain stores it
  last_update_[*uid] = block;
  return std::nullopt;
}

bool golden_subnet::set_hyperparam(const std::string& name, std::int64_t value) {
  auto it = hp_.find(name);
  if (it == hp_.end()) return false;
  it->second = value;
  return true;
}

void golden_subnet::reset_bonds(const std::string& hotkey) {
  auto uid = uid_of(hotkey);
  if (hp_.at("bonds_reset") == 0 || !uid) return;  // do_reset_bonds is a no-op when off
  for (u16_row& row : bonds_) std::erase_if(row, [&](const u16_entry& e) { return e.uid == *uid; });
}

yuma_params golden_subnet::params() const {
  auto u16 = [&](const char* name) { return static_cast<std::uint16_t>(hp_.at(name)); };
  auto u64 = [&](const char* name) { return static_cast<std::uint64_t>(hp_.at(name)); };
  yuma_params p;
  p.tempo = u64("tempo");
  p.kappa = u16("kappa");
  p.bonds_moving_average = u64("bonds_moving_average");
  p.bonds_penalty = u16("bonds_penalty");
  p.yuma3 = hp_.at("yuma3") != 0;
  p.liquid_alpha = hp_.at("liquid_alpha") != 0;
  p.alpha_low = u16("alpha_low");
  p.alpha_high = u16("alpha_high");
  p.alpha_sigmoid_steepness = static_cast<std::int16_t>(hp_.at("alpha_sigmoid_steepness"));
  p.max_allowed_validators = u16("max_allowed_validators");
  p.activity_cutoff = activity_cutoff_blocks(u64("activity_cutoff_factor_milli"), p.tempo);
  p.stake_threshold = u64("stake_threshold");
  return p;
}

result<epoch_output> golden_subnet::epoch(std::uint64_t block) {
  epoch_input in;
  in.block = block;  // manual epochs leave LastMechansimStepBlock at 0, as in the pallet tests
  for (const std::string& hk : hotkeys_) in.stake.push_back(i64f64::from_int(stake_.at(hk)));
  in.registered_at = registered_at_;
  in.last_update = last_update_;
  in.validator_permit = permit_;
  in.weights = weights_;
  in.bonds = bonds_;
  if (owner_hotkey_)
    if (auto uid = uid_of(*owner_hotkey_)) in.owner_uid = static_cast<std::uint16_t>(*uid);
  in.params = params();
  in.emission = emission_;
  auto out = run_epoch(in);
  if (!out) return out;
  permit_ = out->validator_permit;
  bonds_ = out->bonds;
  last_emission_ = out->emission;
  return out;
}

std::vector<std::vector<std::uint16_t>> golden_subnet::dense_bonds() const {
  std::vector<std::vector<std::uint16_t>> m(hotkeys_.size(),
                                            std::vector<std::uint16_t>(hotkeys_.size()));
  for (std::size_t i = 0; i < bonds_.size(); ++i)
    for (const u16_entry& e : bonds_[i])
      if (e.uid < m.size()) m[i][e.uid] = e.value;
  return m;
}

}  // namespace synod::consensus::testing
