#pragma once
// Shared by the `synod plugin ...` commands (plugin_cmd.cpp, plugin_shadow.cpp).

#include <memory>
#include <string>
#include <vector>

#include "synod/base/result.hpp"
#include "synod/plugin/plugin.hpp"

namespace CLI {
class App;
}

namespace synod::app {

/// Repeated --option KEY=VALUE flags.
using plugin_option_flags = std::vector<std::string>;

/// Errors: cli bad_flag for a flag that is not KEY=VALUE.
result<sdk::options> parse_plugin_options(const plugin_option_flags& flags);
/// Loads `file` with those options (plugin errors as they come).
result<std::shared_ptr<const plugin::plugin>> load_plugin(const std::string& file, const plugin_option_flags& flags);
void add_option_flag(CLI::App* cmd, plugin_option_flags& flags);

/// `plugin record` and `plugin shadow`, under `plugin`.
void add_shadow_commands(CLI::App* plugin_cmd, int& exit_code);

}  // namespace synod::app
