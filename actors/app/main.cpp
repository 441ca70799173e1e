// `synod`: one executable, one subcommand per job. Each subcommand parses its flags, calls
// into runtime/ and prints; errors go to stderr and give a non-zero exit code.

#include <CLI/CLI.hpp>

#include <cstdio>

#include "commands.hpp"
#include "synod/base/error.hpp"

namespace synod::app {

int report(const error& e) {
  std::fprintf(stderr, "synod: %s\n", e.to_string().c_str());
  return exit_error;
}

}  // namespace synod::app

int main(int argc, char** argv) {
  CLI::App app{"Synod: an actor-model runtime for a decentralized AI incentive network"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "synod 0.1.0");

  int exit_code = synod::app::exit_ok;
  synod::app::add_localnet_commands(app, exit_code);
  synod::app::add_wallet_commands(app, exit_code);
  synod::app::add_node_commands(app, exit_code);
  synod::app::add_tx_commands(app, exit_code);
  synod::app::add_query_commands(app, exit_code);
  synod::app::add_epoch_commands(app, exit_code);
  synod::app::add_bench_commands(app, exit_code);
  synod::app::add_plugin_commands(app, exit_code);  // after bench: adds `bench plugin`

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
