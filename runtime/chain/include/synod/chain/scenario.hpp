#pragma once
/// Epoch scenarios (`synod epoch run FILE`, format in docs/epoch-scenarios.md and
/// shared/reference/epoch-scenario-format.md): one subnet driven through registrations,
/// weights and epochs on the chain's own rules, in memory, reporting what every epoch stored.
///
/// The runner keeps a memory_state holding subnet 1. `register` takes the registration path of
/// burned_register without the burn (replacement by the pruning rule when full); stake is set
/// directly; set_weights, commit_weights and reveal_weights are the chain's calls signed by the
/// hotkey; `epoch` is run_epoch_only (subnet_epoch.hpp) with the file's emission. Each step runs
/// on an overlay that is dropped when the chain rejects it, as apply_tx does. Pure: no I/O, no
/// clock; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synod/base/result.hpp"
#include "synod/consensus/epoch.hpp"

namespace synod::chain {

/// Failures of the scenario runner itself; rejections by the chain keep their chain::errc.
enum class scenario_errc {
  bad_file = 1,     ///< not JSON, a missing or unknown field, a wrong type or range (names the path)
  unexpected_pass,  ///< a step that says expect_reject was accepted
};
const error_domain& error_domain_of(scenario_errc) noexcept;

enum class scenario_op {
  register_neuron, epoch, set_weights, set_stake, set_hyperparam, reset_bonds, commit_weights,
  reveal_weights,
};

/// "register", "epoch", ...: the op's name in the file.
std::string_view scenario_op_name(scenario_op op) noexcept;

/// One hyperparameter by its scenario name; booleans are 0 and 1.
struct scenario_setting {
  std::string name;
  std::int64_t value = 0;
};

struct scenario_step {
  scenario_op op = scenario_op::epoch;
  std::uint64_t block = 0;
  std::string hotkey;                 ///< every op but epoch and set_hyperparam
  std::optional<std::uint64_t> stake; ///< register (optional), set_stake
  std::vector<std::uint16_t> uids, weights;
  std::string salt;                   ///< commit and reveal: its bytes salt the commitment
  scenario_setting setting;           ///< set_hyperparam
  /// A rejection the step must meet: the chain::errc code name ("no_validator_permit") or
  /// subtensor's name for it ("NeuronNoValidatorPermit"); empty when it must pass.
  std::string expect_reject;
};

struct scenario {
  std::uint32_t max_allowed_uids = 0;
  std::optional<std::string> owner_hotkey;
  std::uint64_t epoch_emission = 1'000'000'000;
  std::vector<scenario_setting> hyperparams;  ///< in file order, over the defaults
  std::vector<scenario_step> steps;
};

/// Parses a scenario file's text. Unknown fields fail, except the golden files' annotations
/// (source, about, notes, expect, derived), which are ignored. Errors:
/// scenario_errc::bad_file with the offending field's path ("steps[3].uids: expected an array
/// of integers").
result<scenario> parse_scenario(std::string_view json_text);

/// What one epoch step stored. u16 proportions (65535 = 1.0), emissions in rao.
struct epoch_report {
  std::size_t step = 0;  ///< index of the epoch step in `steps`
  std::uint64_t block = 0;
  std::uint32_t n = 0;
  std::vector<std::string> hotkeys;  ///< each uid's hotkey as the file names it
  consensus::epoch_output out;
  std::vector<std::vector<std::uint16_t>> bonds;  ///< stored bonds, dense n x n, row = holder
};

/// Runs every step in order. Errors: a chain rejection that the step did not expect (its own
/// chain::errc, with "steps[i] (op)" before the message); scenario_errc::unexpected_pass; an
/// epoch's error.
result<std::vector<epoch_report>> run_scenario(const scenario& sc);

/// The reports as the format's output: {"epochs": [...]}, one field per line.
std::string scenario_output_json(const std::vector<epoch_report>& reports);

}  // namespace synod::chain
