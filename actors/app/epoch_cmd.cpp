// `synod epoch run FILE [--json]`: an epoch scenario (docs/epoch-scenarios.md) on the chain's
// own rules in memory (synod/chain/scenario.hpp). --json prints the format's output; without
// it, one table per epoch for a person.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli_errc.hpp"
#include "commands.hpp"
#include "synod/chain/scenario.hpp"

namespace synod::app {
namespace {

struct epoch_flags {
  std::string file;
  bool json = false;
};

result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error(errc::unreadable_file, "cannot read scenario file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

double share(std::uint16_t v) { return v / 65535.0; }

void print_table(const chain::epoch_report& r) {
  const auto& o = r.out;
  std::printf("epoch at step %zu, block %llu, %u neurons\n", r.step,
              static_cast<unsigned long long>(r.block), r.n);
  std::printf("%5s %-12s %7s %9s %9s %9s %7s %6s %6s %14s\n", "uid", "hotkey", "stake",
              "consensus", "incentive", "dividends", "vtrust", "active", "permit", "emission");
  for (std::uint32_t i = 0; i < r.n; ++i)
    std::printf("%5u %-12s %7.4f %9.4f %9.4f %9.4f %7.4f %6s %6s %14llu\n", i,
                r.hotkeys[i].c_str(), share(o.stake_weight[i]), share(o.consensus[i]),
                share(o.incentive[i]), share(o.dividends[i]), share(o.validator_trust[i]),
                o.active[i] ? "yes" : "no", o.validator_permit[i] ? "yes" : "no",
                static_cast<unsigned long long>(o.emission[i]));
  std::printf("\n");
}

int run(const epoch_flags& f) {
  auto text = read_text(f.file);
  if (!text) return report(text.error());
  auto sc = chain::parse_scenario(*text);
  if (!sc) return report(sc.error().with_context(f.file));
  auto reports = chain::run_scenario(*sc);
  if (!reports) return report(reports.error().with_context(f.file));
  if (f.json) {
    std::fputs(chain::scenario_output_json(*reports).c_str(), stdout);
  } else {
    for (const auto& r : *reports) print_table(r);
    std::printf("%zu steps, %zu epochs (u16 shares shown as fractions; emission in rao)\n",
                sc->steps.size(), reports->size());
  }
  return exit_ok;
}

}  // namespace

void add_epoch_commands(CLI::App& app, int& exit_code) {
  auto* epoch = app.add_subcommand("epoch", "offline Yuma epochs on the chain's own rules");
  epoch->require_subcommand(1);
  auto flags = std::make_shared<epoch_flags>();
  auto* run_cmd = epoch->add_subcommand(
      "run", "run an epoch scenario file (docs/epoch-scenarios.md) and print every epoch");
  run_cmd->add_option("FILE", flags->file, "the scenario, JSON")->required();
  run_cmd->add_flag("--json", flags->json, "the format's JSON output instead of tables");
  run_cmd->callback([flags, &exit_code] { exit_code = run(*flags); });
}

}  // namespace synod::app
