// `synod bench ledger`: the ledger's end-to-end throughput beside the raw signature-check rate
// of this machine, measured in one run (see actors/bench/ledger_bench.hpp).
// `synod bench epoch`: Yuma epoch time beside one plain pass over the same weights
// (see actors/bench/epoch_bench.hpp).

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <unistd.h>

#include "actors/bench/epoch_bench.hpp"
#include "actors/bench/ledger_bench.hpp"
#include "commands.hpp"

namespace synod::app {
namespace {

struct bench_flags {
  std::size_t transactions = 20'000;
  std::size_t signers = 1'000;
  std::vector<std::size_t> shards{1, 2, 4};
  std::size_t threads = 0;
  std::size_t actor_threads = 0;
  std::string dir;
  bool no_sync = false;
  bool json = false;
  std::size_t block_ms = 50;
  std::size_t batch = 500;
  std::size_t repeat = 3;
};

void print_text(const actors::ledger_bench_result& r, const bench_flags& f) {
  std::printf("synod bench ledger: %zu signed transfers from %zu signers, %s commits, "
              "%zu ms blocks, batches of %zu\n",
              f.transactions, f.signers, f.no_sync ? "unsynced" : "fsynced", f.block_ms, f.batch);
  std::printf("raw ed25519 verification on %zu threads, measured before and after each run; "
              "node with %zu actor worker(s); medians of %zu runs\n",
              r.threads, r.actor_threads, f.repeat);
  std::printf("cpu ratio: CPU time of one raw verification over the node's CPU time per transfer\n\n");
  std::printf("%8s %14s %14s %10s %10s %8s %9s %8s\n", "shards", "tx/s", "raw verify/s", "vs raw",
              "cpu ratio", "blocks", "cpu use", "tail s");
  for (const auto& row : r.rows)
    std::printf("%8zu %14.0f %14.0f %10.2f %10.2f %8llu %9.2f %8.3f\n", row.shards, row.tx_per_s,
                row.raw_verify_per_s, row.ratio_to_raw, row.cpu_ratio,
                static_cast<unsigned long long>(row.blocks), row.cpu_use, row.tail_s);
}

void print_json(const actors::ledger_bench_result& r, const bench_flags& f) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"shards", row.shards}, {"tx_per_s", row.tx_per_s},
                    {"raw_verify_per_s", row.raw_verify_per_s},
                    {"ratio_to_raw", row.ratio_to_raw}, {"cpu_ratio", row.cpu_ratio},
                    {"cpu_s_per_tx", row.cpu_s_per_tx}, {"blocks", row.blocks},
                    {"cpu_use", row.cpu_use}, {"tail_s", row.tail_s}, {"runs", row.runs}});
  nlohmann::json doc = {{"transactions", f.transactions}, {"signers", f.signers},
                        {"synced", !f.no_sync},          {"threads", r.threads}, {"actor_threads", r.actor_threads},
                        {"raw_verify_per_s", r.raw_verify_per_s}, {"rows", rows}};
  std::printf("%s\n", doc.dump(2).c_str());
}

int run_ledger(const bench_flags& f) {
  actors::ledger_bench_options o;
  o.transactions = f.transactions;
  o.signers = f.signers;
  o.shard_counts = f.shards;
  o.threads = f.threads;
  o.actor_threads = f.actor_threads;
  o.sync_writes = !f.no_sync;
  o.block_ms = f.block_ms;
  o.batch = f.batch;
  o.repeat = f.repeat;
  o.work_dir = f.dir.empty() ? std::filesystem::temp_directory_path() /
                                   ("synod-bench-" + std::to_string(::getpid()))
                             : std::filesystem::path(f.dir);
  try {
    auto r = actors::run_ledger_bench(o);
    std::filesystem::remove_all(o.work_dir);
    f.json ? print_json(r, f) : print_text(r, f);
    return exit_ok;
  } catch (const std::exception& e) {
    std::filesystem::remove_all(o.work_dir);
    std::fprintf(stderr, "synod: bench ledger failed: %s\n", e.what());
    return exit_error;
  }
}

struct epoch_flags {
  std::vector<std::size_t> neurons{256, 4'096, 65'536};
  std::vector<std::size_t> validators{64, 256, 1'024};
  std::string density = "both";
  std::size_t repeat = 3;
  std::uint64_t seed = 1;
  bool yuma3 = false;
  bool no_liquid = false;
  unsigned redraw = 0;
  bool json = false;
};

void print_epoch_text(const actors::epoch_bench_result& r, const epoch_flags& f) {
  std::printf("synod bench epoch: %s, one thread, median of %zu runs, seed %llu\n",
              !f.yuma3 ? "Yuma 2" : f.no_liquid ? "Yuma 3, fixed EMA rate" : "Yuma 3 + liquid alpha", f.repeat,
              static_cast<unsigned long long>(f.seed));
  std::printf("plain pass: one integer loop over the same weights (stake * weight per column)\n");
  if (f.redraw > 0) std::printf("validators redraw %u%% of their weights after the warm-up epoch\n", f.redraw);
  std::printf("empty: the same subnet's epoch with no weight or bond rows (the work per uid); floor: empty / plain\n");
  std::printf("target: epoch within %.0fx of the plain pass\n\n", r.target_ratio);
  std::printf("%8s %10s %7s %10s %10s %12s %10s %7s %6s %10s %6s %9s\n", "neurons", "validators", "density",
              "weights", "bonds", "epoch us", "plain us", "ratio", "<=10x", "empty us", "floor", "peak MiB");
  // Microseconds: the small sparse cases' plain pass takes well under one.
  for (const auto& row : r.rows)
    std::printf("%8zu %10zu %7s %10llu %10llu %12.1f %10.2f %7.1f %6s %10.1f %6.1f %9.0f\n", row.neurons,
                row.validators, row.dense ? "dense" : "sparse", static_cast<unsigned long long>(row.weight_entries),
                static_cast<unsigned long long>(row.bond_entries), 1e3 * row.epoch_ms, 1e3 * row.plain_ms, row.ratio,
                row.ratio <= r.target_ratio ? "yes" : "NO", 1e3 * row.empty_ms, row.floor_ratio, row.peak_rss_mib);
  // What the big cases cost, so a reader can decide whether to run them again.
  for (const auto& row : r.rows)
    if (row.case_s >= 10)
      std::printf("note: %zu x %zu %s took %.1f s for the case (input, warm-up epoch, %zu runs); "
                  "peak memory %.1f GiB\n",
                  row.neurons, row.validators, row.dense ? "dense" : "sparse", row.case_s,
                  f.repeat, row.peak_rss_mib / 1024);
}

void print_epoch_json(const actors::epoch_bench_result& r, const epoch_flags& f) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"neurons", row.neurons}, {"validators", row.validators},
                    {"density", row.dense ? "dense" : "sparse"},
                    {"weight_entries", row.weight_entries}, {"bond_entries", row.bond_entries},
                    {"epoch_ms", row.epoch_ms}, {"plain_ms", row.plain_ms},
                    {"ratio", row.ratio}, {"within_target", row.ratio <= r.target_ratio},
                    {"empty_epoch_ms", row.empty_ms}, {"floor_ratio", row.floor_ratio},
                    {"peak_rss_mib", row.peak_rss_mib}, {"case_s", row.case_s}});
  nlohmann::json doc = {{"yuma", f.yuma3 ? 3 : 2}, {"liquid_alpha", f.yuma3 && !f.no_liquid},
                        {"repeat", f.repeat}, {"seed", f.seed}, {"redraw_percent", f.redraw},
                        {"threads", 1}, {"target_ratio", r.target_ratio}, {"rows", rows}};
  std::printf("%s\n", doc.dump(2).c_str());
}

int run_epoch_cmd(const epoch_flags& f) {
  actors::epoch_bench_options o;
  o.neurons = f.neurons;
  o.validators = f.validators;
  o.dense = f.density != "sparse";
  o.sparse = f.density != "dense";
  o.repeat = f.repeat;
  o.seed = f.seed;
  o.yuma3 = f.yuma3;
  o.liquid_alpha = !f.no_liquid;
  o.redraw = f.redraw;
  try {
    auto r = actors::run_epoch_bench(o);
    f.json ? print_epoch_json(r, f) : print_epoch_text(r, f);
    return exit_ok;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "synod: bench epoch failed: %s\n", e.what());
    return exit_error;
  }
}

void add_epoch_command(CLI::App& bench, int& exit_code) {
  auto flags = std::make_shared<epoch_flags>();
  auto* epoch = bench.add_subcommand(
      "epoch", "Yuma epoch time on one thread beside one plain pass over the same weights");
  epoch->add_option("--neurons", flags->neurons, "subnet sizes (default 256 4096 65536)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65'536}));
  epoch->add_option("--validators", flags->validators,
                    "validator counts; those above a size are skipped (default 64 256 1024)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65'535}));
  epoch->add_option("--density", flags->density,
                    "dense (every uid), sparse (1% of uids per validator) or both (default)")
      ->check(CLI::IsMember({"dense", "sparse", "both"}));
  epoch->add_option("--repeat", flags->repeat, "timed runs per case, median shown (default 3)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000}));
  epoch->add_option("--seed", flags->seed, "seed of the random subnets (default 1)");
  auto* yuma3 = epoch->add_flag("--yuma3", flags->yuma3, "Yuma 3 bonds with liquid alpha (default Yuma 2)");
  epoch->add_flag("--no-liquid-alpha", flags->no_liquid, "with --yuma3: the fixed EMA rate instead of liquid alpha")
      ->needs(yuma3);
  epoch->add_option("--redraw", flags->redraw,
                    "percent of its weights each validator redraws after the warm-up epoch (default 0)")
      ->check(CLI::Range(0u, 100u));
  epoch->add_flag("--json", flags->json, "machine-readable output");
  epoch->callback([flags, &exit_code] { exit_code = run_epoch_cmd(*flags); });
}

}  // namespace

void add_bench_commands(CLI::App& app, int& exit_code) {
  auto* bench = app.add_subcommand("bench", "measure Synod on this machine");
  bench->require_subcommand(1);
  auto flags = std::make_shared<bench_flags>();
  auto* ledger = bench->add_subcommand(
      "ledger", "signed transfers per second, verified, applied and committed, per shard count");
  ledger->add_option("--transactions", flags->transactions, "transfers to push through")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  ledger->add_option("--signers", flags->signers, "distinct signing accounts")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  ledger->add_option("--shards", flags->shards, "shard counts to measure (default 1 2 4)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  ledger->add_option("--threads", flags->threads,
                     "threads of the raw verification rate (default: one per core, as the node's verify pool)");
  ledger->add_option("--actor-threads", flags->actor_threads,
                     "the node's actor workers (default: the node's, half the cores)");
  ledger->add_option("--dir", flags->dir, "scratch directory for the databases");
  ledger->add_flag("--no-sync", flags->no_sync, "do not fsync each block");
  ledger->add_option("--block-ms", flags->block_ms, "block interval while loading (default 50)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  ledger->add_option("--batch", flags->batch, "envelopes per submission message (default 500)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  ledger->add_option("--repeat", flags->repeat, "runs per shard count, medians shown (default 3)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}));
  ledger->add_flag("--json", flags->json, "machine-readable output");
  ledger->callback([flags, &exit_code] { exit_code = run_ledger(*flags); });
  add_epoch_command(*bench, exit_code);
}

}  // namespace synod::app
