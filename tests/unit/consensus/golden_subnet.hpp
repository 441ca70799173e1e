#pragma once
// A small in-memory subnet that replays epoch-scenario files
// (shared/reference/epoch-scenario-format.md) with subtensor's pallet-test semantics: register
// (replacing by the pruning rule when full), set_weights with the chain's checks, stake set
// directly, and epochs at a given block. The registration, pruning and set_weights rules are the
// chain's own (synod/chain/subnet_rules.hpp); this harness only holds the state.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "synod/consensus/epoch.hpp"

namespace synod::consensus::testing {

/// Harness hyperparameters by the file's names; booleans are 0/1.
using hyperparam_map = std::map<std::string, std::int64_t>;

/// The reference harness defaults (run_scenario.py HYPERPARAM_DEFAULTS).
hyperparam_map default_hyperparams();

class golden_subnet {
 public:
  golden_subnet(std::size_t max_uids, std::optional<std::string> owner_hotkey,
                std::uint64_t emission, hyperparam_map hyperparams);

  /// Each returns the chain's rejection name, or nullopt when the call was accepted.
  std::optional<std::string> register_neuron(std::uint64_t block, const std::string& hotkey,
                                             std::optional<std::uint64_t> stake);
  std::optional<std::string> set_weights(std::uint64_t block, const std::string& hotkey,
                                         const std::vector<std::uint16_t>& uids,
                                         const std::vector<std::uint16_t>& values);
  void set_stake(const std::string& hotkey, std::uint64_t stake) { stake_[hotkey] = stake; }
  /// False when the name is unknown.
  bool set_hyperparam(const std::string& name, std::int64_t value);
  void reset_bonds(const std::string& hotkey);
  /// Runs the epoch at `block`, stores its results, and returns them.
  result<epoch_output> epoch(std::uint64_t block);

  [[nodiscard]] std::size_t size() const { return hotkeys_.size(); }
  /// The stored bonds as a dense n x n matrix (rows = validators).
  [[nodiscard]] std::vector<std::vector<std::uint16_t>> dense_bonds() const;

 private:
  std::optional<std::size_t> uid_of(const std::string& hotkey) const;
  std::optional<std::size_t> neuron_to_prune(std::uint64_t block) const;
  void replace(std::size_t uid, std::uint64_t block);
  std::optional<std::string> check_weights(std::uint64_t block, std::size_t uid, bool is_owner,
                                           const std::vector<std::uint16_t>& uids,
                                           const std::vector<std::uint16_t>& values) const;
  yuma_params params() const;

  std::size_t max_uids_;
  std::optional<std::string> owner_hotkey_;
  std::uint64_t emission_;
  hyperparam_map hp_;
  std::vector<std::string> hotkeys_;            // uid -> hotkey
  std::map<std::string, std::uint64_t> stake_;  // kept when a hotkey is replaced
  std::vector<std::uint64_t> registered_at_, last_update_, last_emission_;
  std::vector<bool> permit_;
  std::vector<u16_row> weights_, bonds_;
};

}  // namespace synod::consensus::testing
