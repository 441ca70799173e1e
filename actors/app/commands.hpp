#pragma once
// The `synod` subcommand families, one source file each. Each adds its subcommands to the app;
// the callback of the one that runs sets `exit_code`.

namespace CLI {
class App;
}

namespace synod {
class error;
}

namespace synod::app {

inline constexpr int exit_ok = 0;
inline constexpr int exit_error = 1;       // the command failed; stderr says why
inline constexpr int exit_not_built = 3;   // the command exists but its work is still to come

/// Prints "synod: <e.to_string()>" to stderr and returns exit_error.
int report(const error& e);

void add_localnet_commands(CLI::App& app, int& exit_code);
void add_wallet_commands(CLI::App& app, int& exit_code);

}  // namespace synod::app
