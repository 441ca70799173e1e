// The epoch scenario runner (scenario.hpp): one subnet in a memory_state, each step through
// the chain's own rules on an overlay kept only when the step passes.

#include "synod/chain/scenario.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "scenario_rules.hpp"
#include "subnet_calls.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/state.hpp"
#include "synod/chain/subnet_epoch.hpp"
#include "synod/chain/subnet_rules.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::chain {
namespace {

std::string_view scenario_code_name(int code) noexcept {
  switch (static_cast<scenario_errc>(code)) {
    case scenario_errc::bad_file: return "bad_file";
    case scenario_errc::unexpected_pass: return "unexpected_pass";
  }
  return "unknown";
}

constexpr error_domain scenario_domain{"scenario", &scenario_code_name};

constexpr netuid_t scenario_netuid = 1;

// The reference harness's defaults (epoch-scenario-format.md, Input), in the format's order.
constexpr std::array<detail::scenario_hyperparam, 20> hyperparams{{
    {"tempo", 1, false},
    {"kappa", 32'767, false},
    {"bonds_moving_average", 900'000, false},
    {"bonds_penalty", 65'535, false},
    {"yuma3", 0, true},
    {"liquid_alpha", 0, true},
    {"alpha_low", 45'875, false},
    {"alpha_high", 58'982, false},
    {"alpha_sigmoid_steepness", 1'000, false},
    {"max_allowed_validators", 8, false},
    {"min_allowed_weights", 0, false},
    {"max_weights_limit", 65'535, false},
    {"weights_rate_limit", 0, false},
    {"activity_cutoff_factor_milli", 13'889, false},
    {"commit_reveal", 0, true},
    {"reveal_period_epochs", 1, false},
    {"immunity_period", 4'096, false},
    {"min_non_immune_uids", 10, false},
    {"stake_threshold", 0, false},
    {"bonds_reset", 0, true},
}};

// The rejections the runner's calls can meet, with subtensor's name for each (its pallet
// errors), which the golden files use.
struct reject_name {
  errc code;
  std::string_view subtensor;
};
constexpr std::array<reject_name, 20> reject_names{{
    {errc::hotkey_in_subnet, "HotKeyAlreadyRegisteredInSubNet"},
    {errc::no_uid_available, "NoNeuronIdAvailable"},
    {errc::not_in_subnet, "HotKeyNotRegisteredInSubNet"},
    {errc::commit_reveal_enabled, "CommitRevealEnabled"},
    {errc::commit_reveal_disabled, "CommitRevealDisabled"},
    {errc::weights_length_mismatch, "WeightVecNotEqualSize"},
    {errc::too_many_weights, "UidsLengthExceedUidsInSubNet"},
    {errc::stake_below_threshold, "NotEnoughStakeToSetWeights"},
    {errc::stale_version_key, "IncorrectWeightVersionKey"},
    {errc::weights_rate_limited, "SettingWeightsTooFast"},
    {errc::no_validator_permit, "NeuronNoValidatorPermit"},
    {errc::duplicate_uids, "DuplicateUids"},
    {errc::unknown_uid, "UidVecContainInvalidOne"},
    {errc::too_few_weights, "WeightVecLengthIsLow"},
    {errc::weight_over_limit, "MaxWeightExceeded"},
    {errc::too_many_commits, "TooManyUnrevealedCommits"},
    {errc::no_weight_commit, "NoWeightsCommitFound"},
    {errc::reveal_too_early, "RevealTooEarly"},
    {errc::reveal_too_late, "ExpiredWeightCommit"},
    {errc::reveal_mismatch, "InvalidRevealCommitHashNotMatch"},
}};

std::string_view code_name(errc c) { return error_domain_of(c).code_name(static_cast<int>(c)); }

// Scenario hotkeys are names; the chain's are keys. Hashing keeps distinct names distinct.
public_key key_of(std::string_view hotkey) {
  crypto::hasher h;
  h.update(as_bytes("synod/scenario/hotkey/")).update(as_bytes(hotkey));
  return h.finish();
}

struct run_state {
  memory_state state;
  std::map<public_key, std::string> names;  // every hotkey of the file by its key
  bool bonds_reset = false;
  rao emission = 0;
};

status set_up(run_state& rs, const scenario& sc) {
  subnet_info info;  // no owner coldkey: only the owner hotkey is kept from pruning
  info.hp.max_allowed_uids = sc.max_allowed_uids;
  for (const auto& d : hyperparams)
    SYNOD_TRY(detail::apply_setting(info.hp, rs.bonds_reset,
                                    {std::string(d.name), d.default_value}));
  for (const auto& s : sc.hyperparams)
    SYNOD_TRY(detail::apply_setting(info.hp, rs.bonds_reset, s));
  if (sc.owner_hotkey) info.owner_hotkey = key_of(*sc.owner_hotkey);
  rs.emission = sc.epoch_emission;
  for (const auto& s : sc.steps)
    if (!s.hotkey.empty()) rs.names.emplace(key_of(s.hotkey), s.hotkey);
  overlay o(rs.state, false);
  put_subnet(o, scenario_netuid, info);
  rs.state.apply(o.diff());
  return ok();
}

// burned_register's placement of the neuron, without the coldkey and the burn.
status register_neuron(overlay& o, const scenario_step& s) {
  const public_key hotkey = key_of(s.hotkey);
  auto info = *get_subnet(o, scenario_netuid);
  auto slot = detail::find_neuron_slot(o, scenario_netuid, info, hotkey, s.block);
  if (!slot) return std::move(slot).error();
  detail::seat_neuron(o, scenario_netuid, info, *slot, hotkey, s.block);
  put_subnet(o, scenario_netuid, info);
  if (s.stake) put_hotkey_stake(o, hotkey, *s.stake);
  return ok();
}

// subtensor do_reset_bonds: every bond held in the uid goes; a no-op unless bonds_reset is on.
void reset_bonds(overlay& o, const run_state& rs, const std::string& hotkey) {
  auto uid = get_uid(o, scenario_netuid, key_of(hotkey));
  if (!rs.bonds_reset || !uid) return;
  const auto n = get_subnet(o, scenario_netuid)->neuron_count;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto row = get_bonds(o, scenario_netuid, static_cast<uid_t>(i));
    if (std::erase_if(row, [&](const u16_entry& e) { return e.uid == *uid; }) != 0)
      put_bonds(o, scenario_netuid, static_cast<uid_t>(i), row);
  }
}

result<epoch_report> run_epoch_step(overlay& o, const run_state& rs, const scenario_step& s) {
  auto out = run_epoch_only(o, scenario_netuid, s.block, rs.emission);
  if (!out) return std::move(out).error();
  epoch_report r;
  r.block = s.block;
  r.n = get_subnet(o, scenario_netuid)->neuron_count;
  r.out = std::move(*out);
  for (std::uint32_t i = 0; i < r.n; ++i) {
    auto it = rs.names.find(get_neuron(o, scenario_netuid, static_cast<uid_t>(i))->hotkey);
    r.hotkeys.push_back(it != rs.names.end() ? it->second : "");
  }
  r.bonds.assign(r.n, std::vector<std::uint16_t>(r.n, 0));
  for (std::uint32_t i = 0; i < r.n; ++i)
    for (const u16_entry& e : get_bonds(o, scenario_netuid, static_cast<uid_t>(i)))
      if (e.uid < r.n) r.bonds[i][e.uid] = e.value;
  return r;
}

// Applies one step to `o`; an epoch step gives its report.
result<std::optional<epoch_report>> apply_step(overlay& o, run_state& rs,
                                               const scenario_step& s) {
  const public_key hotkey = key_of(s.hotkey);
  status done = ok();
  switch (s.op) {
    case scenario_op::register_neuron: done = register_neuron(o, s); break;
    case scenario_op::epoch: {
      auto r = run_epoch_step(o, rs, s);
      if (!r) return std::move(r).error();
      return std::optional<epoch_report>(std::move(*r));
    }
    case scenario_op::set_weights:
      done = detail::run(o, hotkey, s.block, set_weights_call{scenario_netuid, s.uids, s.weights, 0});
      break;
    case scenario_op::set_stake: put_hotkey_stake(o, hotkey, s.stake.value_or(0)); break;
    case scenario_op::set_hyperparam: {
      auto info = *get_subnet(o, scenario_netuid);
      done = detail::apply_setting(info.hp, rs.bonds_reset, s.setting);
      put_subnet(o, scenario_netuid, info);
      break;
    }
    case scenario_op::reset_bonds: reset_bonds(o, rs, s.hotkey); break;
    case scenario_op::commit_weights: {
      const auto hash = weights_commit_hash(hotkey, scenario_netuid, s.uids, s.weights,
                                            as_bytes(s.salt), 0);
      done = detail::run(o, hotkey, s.block, commit_weights_call{scenario_netuid, hash});
      break;
    }
    case scenario_op::reveal_weights: {
      const auto salt = as_bytes(s.salt);
      done = detail::run(o, hotkey, s.block,
                         reveal_weights_call{scenario_netuid, s.uids, s.weights,
                                             bytes(salt.begin(), salt.end()), 0});
      break;
    }
  }
  if (!done) return std::move(done).error();
  return std::optional<epoch_report>();
}

// A chain rejection with the file's hotkey names in place of their keys.
error with_names(const run_state& rs, const error& e) {
  if (&e.domain() != &error_domain_of(errc{})) return e;
  std::string message = e.message();
  for (const auto& [key, name] : rs.names)
    for (auto at = message.find(key.hex()); at != std::string::npos; at = message.find(key.hex()))
      message.replace(at, key.hex().size(), "\"" + name + "\"");
  return error(static_cast<errc>(e.code()), std::move(message));
}

}  // namespace

const error_domain& error_domain_of(scenario_errc) noexcept { return scenario_domain; }

std::string_view scenario_op_name(scenario_op op) noexcept {
  switch (op) {
    case scenario_op::register_neuron: return "register";
    case scenario_op::epoch: return "epoch";
    case scenario_op::set_weights: return "set_weights";
    case scenario_op::set_stake: return "set_stake";
    case scenario_op::set_hyperparam: return "set_hyperparam";
    case scenario_op::reset_bonds: return "reset_bonds";
    case scenario_op::commit_weights: return "commit_weights";
    case scenario_op::reveal_weights: return "reveal_weights";
  }
  return "unknown";
}

namespace detail {

std::span<const scenario_hyperparam> scenario_hyperparams() { return hyperparams; }

status apply_setting(subnet_hyperparams& hp, bool& bonds_reset, const scenario_setting& s) {
  auto out_of_range = [&](std::string_view range) {
    return error(errc::hyperparam_out_of_range,
                 s.name + " " + std::to_string(s.value) + " is out of range " + std::string(range));
  };
  if (s.name == "bonds_reset") {
    if (s.value != 0 && s.value != 1) return out_of_range("{0, 1}");
    bonds_reset = s.value == 1;
    return ok();
  }
  if (s.name == "alpha_sigmoid_steepness" && s.value < 0) {
    if (s.value < -32'768) return out_of_range("[-32768, 32767]");
    hp.alpha_sigmoid_steepness = static_cast<std::int16_t>(s.value);
    return ok();
  }
  if (std::none_of(hyperparams.begin(), hyperparams.end(),
                   [&](const auto& h) { return h.name == s.name; }))
    return error(errc::hyperparam_out_of_range, "unknown hyperparameter " + s.name);
  if (s.value < 0) return out_of_range("[0, ...]");
  for (std::uint8_t id = 1; id <= hyperparam_count; ++id)
    if (hyperparam_name(static_cast<hyperparam>(id)) == s.name)
      return apply_hyperparam(hp, {static_cast<hyperparam>(id), static_cast<std::uint64_t>(s.value)});
  return error(errc::hyperparam_out_of_range, "no chain hyperparameter is named " + s.name);
}

bool known_reject_name(std::string_view name) {
  return std::any_of(reject_names.begin(), reject_names.end(), [&](const reject_name& r) {
    return name == r.subtensor || name == code_name(r.code);
  });
}

bool reject_matches(const error& e, std::string_view name) {
  return std::any_of(reject_names.begin(), reject_names.end(), [&](const reject_name& r) {
    return e.is(r.code) && (name == r.subtensor || name == code_name(r.code));
  });
}

}  // namespace detail

result<std::vector<epoch_report>> run_scenario(const scenario& sc) {
  run_state rs;
  SYNOD_TRY(set_up(rs, sc));
  std::vector<epoch_report> reports;
  for (std::size_t i = 0; i < sc.steps.size(); ++i) {
    const scenario_step& s = sc.steps[i];
    const std::string where =
        "steps[" + std::to_string(i) + "] (" + std::string(scenario_op_name(s.op)) + ")";
    overlay o(rs.state, false);
    const bool reset_before = rs.bonds_reset;
    auto r = apply_step(o, rs, s);
    if (!r) {
      rs.bonds_reset = reset_before;  // the step changed nothing
      if (s.expect_reject.empty()) return with_names(rs, r.error()).with_context(where);
      if (!detail::reject_matches(r.error(), s.expect_reject))
        return with_names(rs, r.error()).with_context(where + ", expected " + s.expect_reject);
      continue;
    }
    if (!s.expect_reject.empty())
      return error(scenario_errc::unexpected_pass, where + ": accepted, expected " + s.expect_reject);
    rs.state.apply(o.diff());
    if (*r) {
      (*r)->step = i;
      reports.push_back(std::move(**r));
    }
  }
  return reports;
}

}  // namespace synod::chain
