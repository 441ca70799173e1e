// `synod localnet`: the whole network in one process. Not built yet; says so.

#include <CLI/CLI.hpp>

#include <cstdio>

#include "commands.hpp"

namespace synod::app {
namespace {

int run_localnet() {
  std::fputs(
      "synod localnet: not built yet.\n"
      "The one-node chain (block production, ledger, gateway) is still being written;\n"
      "see README.md for what works today.\n",
      stderr);
  return exit_not_built;
}

}  // namespace

void add_localnet_commands(CLI::App& app, int& exit_code) {
  auto* localnet = app.add_subcommand("localnet", "run a whole network in one process");
  localnet->callback([&exit_code] { exit_code = run_localnet(); });
}

}  // namespace synod::app
