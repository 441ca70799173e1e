#include "serve.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <mutex>

#include "actors/gateway/gateway.hpp"
#include "commands.hpp"
#include "synod/chain/block.hpp"
#include "synod/chain/records.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::app {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Waits up to `ms` for SIGINT/SIGTERM; true when one arrived.
bool stop_requested(int ms) {
  auto set = stop_signals();
  timespec ts{0, static_cast<long>(ms) * 1'000'000L};
  return sigtimedwait(&set, nullptr, &ts) > 0;
}

struct block_line {
  std::uint64_t height;
  std::uint32_t txs;
};

class live_view {
 public:
  explicit live_view(bool tty) : tty_(tty) {}

  void show(actors::node& n, const block_line& b) {
    total_txs_ += b.txs;
    auto h = n.ledger().head();
    auto t = chain::get_totals(*n.ledger().db().state());
    if (tty_ && drawn_) std::printf("\x1b[4A");  // back over the previous table
    if (tty_) {
      std::printf("\x1b[2K  head %-10llu finalized %-10llu slot %llu\n",
                  static_cast<unsigned long long>(h.height), static_cast<unsigned long long>(h.height),
                  static_cast<unsigned long long>(h.slot));
      std::printf("\x1b[2K  txs in block %-6u txs total %llu\n", b.txs,
                  static_cast<unsigned long long>(total_txs_));
      std::printf("\x1b[2K  issuance %s TAO   pending emission %s TAO\n", format_tao(t.issuance).c_str(),
                  format_tao(t.pending_emission).c_str());
      std::printf("\x1b[2K  digest %s\n", h.digest.hex().substr(0, 16).c_str());
      drawn_ = true;
    } else {
      std::printf("block %llu finalized %llu txs %u digest %s\n",
                  static_cast<unsigned long long>(b.height), static_cast<unsigned long long>(h.height),
                  b.txs, h.digest.hex().substr(0, 16).c_str());
    }
    std::fflush(stdout);
  }

 private:
  bool tty_;
  bool drawn_ = false;
  std::uint64_t total_txs_ = 0;
};

}  // namespace

void block_stop_signals() {
  auto set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int serve(serve_options opts) {
  auto params = opts.node.genesis.params;
  auto n = actors::node::start(std::move(opts.node));
  if (!n) return report(n.error());
  auto gw = actors::start_gateway(**n, opts.gateway);
  if (!gw) {
    (*n)->stop();
    return report(gw.error());
  }
  std::mutex mu;
  std::deque<block_line> fresh;
  // Replaces the gateway's listener with one that publishes and feeds the live view.
  auto* server = gw->get();
  (*n)->on_block([&, server, params](const bytes& raw) {
    auto event = actors::block_event_of(raw, params);
    server->publish(event);
    std::lock_guard g(mu);
    fresh.push_back({event.height, event.tx_count});
  });
  if (opts.banner) opts.banner(**n, **gw);
  std::unique_ptr<actors::follower> follower;
  if (opts.follow) follower = std::make_unique<actors::follower>(**n, *opts.follow);
  live_view view(::isatty(STDOUT_FILENO) == 1);
  std::uint64_t made = 0;
  int rc = exit_ok;
  while (!stop_requested(100)) {
    if (follower && !follower->failure().empty()) {
      std::fprintf(stderr, "synod: following stopped: %s\n", follower->failure().c_str());
      rc = exit_error;
      break;
    }
    std::deque<block_line> batch;
    {
      std::lock_guard g(mu);
      batch.swap(fresh);
    }
    for (const auto& b : batch) {
      if (opts.live) view.show(**n, b);
      ++made;
    }
    if (opts.stop_after && made >= *opts.stop_after) break;
  }
  follower.reset();
  (*n)->on_block(nullptr);
  (*gw)->stop();
  (*n)->stop();
  std::printf("stopped at block %llu\n", static_cast<unsigned long long>((*n)->ledger().head().height));
  return rc;
}

}  // namespace synod::app
