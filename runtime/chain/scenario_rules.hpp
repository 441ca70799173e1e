#pragma once
// Private to the chain component: what the scenario parser (scenario_json.cpp) and runner
// (scenario.cpp) share: the format's hyperparameters and the rejection names.

#include <span>
#include <string_view>

#include "synod/chain/scenario.hpp"
#include "synod/chain/subnet.hpp"

namespace synod::chain::detail {

/// A hyperparameter of the format, with the reference harness's default.
struct scenario_hyperparam {
  std::string_view name;
  std::int64_t default_value;
  bool boolean;
};

/// Every hyperparameter a scenario may set, in the format's order.
std::span<const scenario_hyperparam> scenario_hyperparams();

/// Applies one setting through apply_hyperparam. Two settings have no chain call: bonds_reset
/// (the runner's own flag, `bonds_reset`) and a negative alpha_sigmoid_steepness (the call
/// carries u64 values; the field is i16), which is stored directly. Errors:
/// errc::hyperparam_out_of_range (the value, or an unknown name).
status apply_setting(subnet_hyperparams& hp, bool& bonds_reset, const scenario_setting& s);

/// True when `name` may stand in a step's expect_reject.
bool known_reject_name(std::string_view name);

/// True when the rejection `e` is the one `name` means.
bool reject_matches(const error& e, std::string_view name);

}  // namespace synod::chain::detail
