// `synod`: one executable, one subcommand per job. Each subcommand parses its flags, calls
// into runtime/ and prints; errors go to stderr and give a non-zero exit code.

#include <CLI/CLI.hpp>

#include <cstdio>

namespace {

constexpr int exit_not_built = 3;

int run_localnet() {
  std::fputs(
      "synod localnet: not built yet.\n"
      "The one-node chain (block production, ledger, gateway) is still being written;\n"
      "see README.md for what works today.\n",
      stderr);
  return exit_not_built;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Synod: an actor-model runtime for a decentralized AI incentive network"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "synod 0.1.0");

  auto* localnet = app.add_subcommand("localnet", "run a whole network in one process");
  int rc = 0;
  localnet->callback([&] { rc = run_localnet(); });

  CLI11_PARSE(app, argc, argv);
  return rc;
}
