#pragma once
// The `synod` subcommand families, one source file each. Each adds its subcommands to the app;
// the callback of the one that runs sets `exit_code`.

#include <filesystem>
#include <functional>
#include <string>

#include "synod/base/result.hpp"

namespace CLI {
class App;
}

namespace synod::app {

inline constexpr int exit_ok = 0;
inline constexpr int exit_error = 1;       // the command failed; stderr says why
inline constexpr int exit_not_built = 3;   // the command exists but its work is still to come

/// Prints "synod: <e.to_string()>" to stderr and returns exit_error.
int report(const error& e);

/// The wallet directory: `flag` (--wallet-path) if given, else $SYNOD_WALLET_PATH, else
/// ~/.synod/wallets. Errors: errc::no_wallet_path.
result<std::filesystem::path> resolve_wallet_root(const std::string& flag);

/// Runs a node from a node file in the foreground (see serve.hpp); `after_banner` prints
/// extra lines once the node is up. Returns the exit code.
int run_node_file(const std::filesystem::path& file, bool live, std::uint64_t blocks,
                  const std::function<void()>& after_banner);

void add_localnet_commands(CLI::App& app, int& exit_code);
void add_wallet_commands(CLI::App& app, int& exit_code);
void add_bench_commands(CLI::App& app, int& exit_code);
void add_node_commands(CLI::App& app, int& exit_code);
void add_tx_commands(CLI::App& app, int& exit_code);
void add_query_commands(CLI::App& app, int& exit_code);
void add_epoch_commands(CLI::App& app, int& exit_code);
/// `plugin new|check|info|record|shadow`, and `bench plugin` under an existing `bench`.
void add_plugin_commands(CLI::App& app, int& exit_code);
/// `query metagraph|subnet|subnets` (metagraph_cmd.cpp), added under `query`.
void add_subnet_queries(CLI::App* query, int& exit_code);

}  // namespace synod::app
