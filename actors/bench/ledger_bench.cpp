#include "actors/bench/ledger_bench.hpp"
#include "actors/bench/stats.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "actors/node/node.hpp"
#include "actors/system/system.hpp"
#include "synod/chain/block.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// User and system CPU seconds of every thread of this process so far.
double process_cpu_s() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

crypto::keypair bench_key(std::size_t i) {
  auto digest = crypto::blake2b_256(as_bytes("synod-bench-" + std::to_string(i)));
  return crypto::keypair::from_seed(crypto::seed(digest.data));
}

struct workload {
  chain::genesis genesis;
  crypto::keypair authority = bench_key(0);
  std::vector<bytes> envelopes;
};

// Round-robin over signers so every block carries many signers with consecutive nonces. Each
// signer pays its own payee (a shop, an exchange deposit address), so a block's transfers fall
// into as many independent groups as there are signers and the shards apply them in parallel.
workload make_workload(const ledger_bench_options& o) {
  workload w;
  w.genesis.chain_name = "synod-bench";
  w.genesis.authorities = {w.authority.public_key()};
  w.genesis.params.max_block_txs = 50'000;
  std::vector<crypto::keypair> signers;
  for (std::size_t i = 1; i <= o.signers; ++i) {
    signers.push_back(bench_key(i));
    w.genesis.balances.emplace_back(signers.back().public_key(), 1'000 * rao_per_tao);
  }
  std::vector<crypto::public_key> payees;
  for (std::size_t i = 1; i <= o.signers; ++i) payees.push_back(bench_key(o.signers + i).public_key());
  auto id = chain::chain_id(w.genesis);
  for (std::size_t t = 0; t < o.transactions; ++t) {
    const auto& from = signers[t % signers.size()];
    const auto& to = payees[t % signers.size()];
    w.envelopes.push_back(chain::encode_tx(id, from, t / signers.size(),
                                           chain::transfer_call{to, 1000}));
  }
  return w;
}

template <class Fn>
void run_threads(std::size_t n, Fn fn) {
  std::vector<std::thread> ts;
  for (std::size_t i = 0; i < n; ++i) ts.emplace_back(fn, i);
  for (auto& t : ts) t.join();
}

// The raw rate, and the CPU seconds one verification took (threads' time over the count).
struct raw_verify {
  double per_s = 0;
  double cpu_s_each = 0;
};

raw_verify raw_verify_rate(const workload& w, std::size_t threads) {
  std::vector<chain::decoded_tx> txs;
  auto id = chain::chain_id(w.genesis);
  for (const auto& e : w.envelopes) txs.push_back(*chain::decode_tx(e, id, w.genesis.params));
  std::atomic<std::size_t> bad{0};
  const double cpu0 = process_cpu_s();
  auto t0 = clock_type::now();
  run_threads(threads, [&](std::size_t k) {
    for (std::size_t i = k; i < txs.size(); i += threads)
      if (!crypto::verify(txs[i].signer, txs[i].signing_hash.view(), txs[i].sig)) ++bad;
  });
  double s = seconds_since(t0);
  const double cpu = process_cpu_s() - cpu0;
  if (bad) throw std::runtime_error("benchmark signatures failed to verify");
  const auto n = static_cast<double>(txs.size());
  return {n / s, cpu / n};
}

std::uint32_t tx_count_at(node& n, std::uint64_t height) {
  auto raw = n.ledger().db().block_at(height);
  auto blk = chain::decode_block(**raw, n.ledger().context().params);
  return blk->header.tx_count;
}

ledger_bench_row measure(const ledger_bench_options& o, const workload& w, std::size_t shards) {
  node_options no;
  no.data_dir = o.work_dir / ("k" + std::to_string(shards));
  std::filesystem::remove_all(no.data_dir);
  no.genesis = w.genesis;
  no.authority = w.authority;
  no.shards = shards;
  no.threads = o.actor_threads;
  no.timer = false;
  no.sync_writes = o.sync_writes;
  no.mempool.capacity = w.envelopes.size() + 1;
  no.mempool.per_signer = w.envelopes.size();
  no.mempool.nonce_window = w.envelopes.size();
  auto n = node::start(no);
  if (!n) throw std::runtime_error(n.error().to_string());

  std::atomic<bool> submitted{false};
  std::atomic<std::size_t> rejected{0};
  std::uint64_t committed = 0, blocks = 0;
  const double cpu0 = process_cpu_s();
  auto t0 = clock_type::now();
  std::atomic<double> submitted_at{0};
  // Several submitters take turns, so every shard always has the next batch queued while it
  // checks the current one.
  std::size_t batches = (w.envelopes.size() + o.batch - 1) / o.batch;
  std::size_t clients = 2 * std::max<std::size_t>(2, shards);
  std::thread submitters([&] {
    run_threads(clients, [&](std::size_t c) {
      for (std::size_t b = c; b < batches; b += clients) {
        auto first = w.envelopes.begin() + static_cast<std::ptrdiff_t>(b * o.batch);
        auto last = w.envelopes.begin() +
                    static_cast<std::ptrdiff_t>(std::min(w.envelopes.size(), (b + 1) * o.batch));
        for (const auto& s : (*n)->submit_batch(std::vector<bytes>(first, last)))
          if (!s.ok()) ++rejected;
      }
    });
    submitted_at = seconds_since(t0);
    submitted = true;
  });
  auto next_block = clock_type::now();
  while (committed < w.envelopes.size()) {
    next_block += std::chrono::milliseconds(o.block_ms);
    std::this_thread::sleep_until(next_block);
    auto h = (*n)->produce_now();
    if (!h) throw std::runtime_error(h.error().to_string());
    ++blocks;
    auto count = tx_count_at(**n, *h);
    committed += count;
    if (count == 0 && submitted && rejected > 0) break;
  }
  double s = seconds_since(t0);
  const double cpu = process_cpu_s() - cpu0;
  submitters.join();
  (*n)->stop();
  std::filesystem::remove_all(no.data_dir);
  if (rejected) throw std::runtime_error(std::to_string(rejected.load()) + " submissions were rejected");
  ledger_bench_row row;
  row.shards = shards;
  row.tx_per_s = static_cast<double>(committed) / s;
  row.blocks = blocks;
  row.cpu_use = cpu / s;
  row.cpu_s_per_tx = committed ? cpu / static_cast<double>(committed) : 0;
  row.tail_s = s - submitted_at;
  return row;
}

// The medians of several runs, column by column.
ledger_bench_row median_row(const std::vector<ledger_bench_row>& runs) {
  auto column = [&](auto field) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(static_cast<double>(r.*field));
    return median(std::move(v));
  };
  ledger_bench_row m;
  m.shards = runs.front().shards;
  m.runs = runs.size();
  m.tx_per_s = column(&ledger_bench_row::tx_per_s);
  m.raw_verify_per_s = column(&ledger_bench_row::raw_verify_per_s);
  m.ratio_to_raw = column(&ledger_bench_row::ratio_to_raw);
  m.cpu_ratio = column(&ledger_bench_row::cpu_ratio);
  m.cpu_s_per_tx = column(&ledger_bench_row::cpu_s_per_tx);
  m.blocks = static_cast<std::uint64_t>(column(&ledger_bench_row::blocks));
  m.cpu_use = column(&ledger_bench_row::cpu_use);
  m.tail_s = column(&ledger_bench_row::tail_s);
  return m;
}

}  // namespace

ledger_bench_result run_ledger_bench(const ledger_bench_options& opts) {
  ledger_bench_result r;
  r.threads = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  r.actor_threads = opts.actor_threads ? opts.actor_threads : default_actor_threads();
  auto w = make_workload(opts);
  std::vector<double> raws;
  for (auto k : opts.shard_counts) {
    std::vector<ledger_bench_row> runs;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, opts.repeat); ++i) {
      // The machine's speed drifts (other tenants): the raw rate is taken on both sides of
      // the run and averaged, so a drift during the run does not favour either side.
      const auto before = raw_verify_rate(w, r.threads);
      auto row = measure(opts, w, k);
      const auto after = raw_verify_rate(w, r.threads);
      row.raw_verify_per_s = (before.per_s + after.per_s) / 2;
      row.ratio_to_raw = row.tx_per_s / row.raw_verify_per_s;
      const double raw_cpu_each = (before.cpu_s_each + after.cpu_s_each) / 2;
      row.cpu_ratio = row.cpu_s_per_tx > 0 ? raw_cpu_each / row.cpu_s_per_tx : 0;
      runs.push_back(row);
      raws.push_back(row.raw_verify_per_s);
    }
    r.rows.push_back(median_row(runs));
  }
  r.raw_verify_per_s = median(std::move(raws));
  return r;
}

}  // namespace synod::actors
