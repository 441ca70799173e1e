// `synod bench ledger`: the ledger's end-to-end throughput beside the raw signature-check rate
// of this machine, measured in one run (see actors/bench/ledger_bench.hpp).

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <unistd.h>

#include "actors/bench/ledger_bench.hpp"
#include "commands.hpp"

namespace synod::app {
namespace {

struct bench_flags {
  std::size_t transactions = 20'000;
  std::size_t signers = 1'000;
  std::vector<std::size_t> shards{1, 2, 4};
  std::size_t threads = 0;
  std::string dir;
  bool no_sync = false;
  bool json = false;
  std::size_t block_ms = 50;
  std::size_t batch = 500;
};

void print_text(const actors::ledger_bench_result& r, const bench_flags& f) {
  std::printf("synod bench ledger: %zu signed transfers from %zu signers, %s commits, "
              "%zu ms blocks, batches of %zu\n",
              f.transactions, f.signers, f.no_sync ? "unsynced" : "fsynced", f.block_ms, f.batch);
  std::printf("raw ed25519 verification on %zu threads, measured before each row\n\n", r.threads);
  std::printf("%8s %14s %14s %10s %8s\n", "shards", "tx/s", "raw verify/s", "vs raw", "blocks");
  for (const auto& row : r.rows)
    std::printf("%8zu %14.0f %14.0f %10.2f %8llu\n", row.shards, row.tx_per_s, row.raw_verify_per_s,
                row.ratio_to_raw, static_cast<unsigned long long>(row.blocks));
}

void print_json(const actors::ledger_bench_result& r, const bench_flags& f) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows)
    rows.push_back({{"shards", row.shards}, {"tx_per_s", row.tx_per_s},
                    {"raw_verify_per_s", row.raw_verify_per_s},
                    {"ratio_to_raw", row.ratio_to_raw}, {"blocks", row.blocks}});
  nlohmann::json doc = {{"transactions", f.transactions}, {"signers", f.signers},
                        {"synced", !f.no_sync},          {"threads", r.threads},
                        {"raw_verify_per_s", r.raw_verify_per_s}, {"rows", rows}};
  std::printf("%s\n", doc.dump(2).c_str());
}

int run_ledger(const bench_flags& f) {
  actors::ledger_bench_options o;
  o.transactions = f.transactions;
  o.signers = f.signers;
  o.shard_counts = f.shards;
  o.threads = f.threads;
  o.sync_writes = !f.no_sync;
  o.block_ms = f.block_ms;
  o.batch = f.batch;
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
  ledger->add_option("--threads", flags->threads, "worker threads (default: one per core)");
  ledger->add_option("--dir", flags->dir, "scratch directory for the databases");
  ledger->add_flag("--no-sync", flags->no_sync, "do not fsync each block");
  ledger->add_option("--block-ms", flags->block_ms, "block interval while loading (default 50)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000}));
  ledger->add_option("--batch", flags->batch, "envelopes per submission message (default 500)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  ledger->add_flag("--json", flags->json, "machine-readable output");
  ledger->callback([flags, &exit_code] { exit_code = run_ledger(*flags); });
}

}  // namespace synod::app
