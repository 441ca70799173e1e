#include "actors/peer/follower.hpp"

#include "synod/ledger/ledger.hpp"
#include "synod/net/client.hpp"

namespace synod::actors {
namespace {

constexpr auto poll = std::chrono::milliseconds(200);
constexpr auto call_timeout = std::chrono::seconds(5);

// Fetches and imports blocks head+1 .. up to `target` (or until the source has no more).
// Returns an error text on a failed import; transport trouble just ends this round.
std::string catch_up(node& n, net::gateway_client& source, std::uint64_t target) {
  for (auto next = n.ledger().head().height + 1; next <= target; ++next) {
    auto answer = source.call(net::get_block{next, std::nullopt}, call_timeout);
    if (!answer) return "";
    auto* block = std::get_if<net::block_info>(&*answer);
    if (!block) return "";  // not there yet, or refused: try again on the next event
    auto imported = n.import(block->block);
    if (!imported) return "block " + std::to_string(next) + ": " + imported.error().to_string();
  }
  return "";
}

}  // namespace

follower::follower(node& n, follower_options opts)
    : node_(n), opts_(std::move(opts)), thread_([this] { run(); }) {}

follower::~follower() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string follower::failure() const {
  std::lock_guard g(mu_);
  return failure_;
}

void follower::run() {
  auto source = net::gateway_client::connect({opts_.rpc_endpoint});
  auto feed = net::block_subscriber::connect({opts_.pub_endpoint});
  auto fail = [this](std::string why) {
    std::lock_guard g(mu_);
    failure_ = std::move(why);
  };
  if (!source) return fail(source.error().to_string());
  if (!feed) return fail(feed.error().to_string());
  std::uint64_t target = UINT64_MAX;  // the first round catches up as far as the source goes
  while (!stop_) {
    if (target != 0) {
      if (auto why = catch_up(node_, *source, target); !why.empty()) return fail(why);
      target = 0;
    }
    auto event = feed->next(poll);
    if (event && *event && (*event)->height > node_.ledger().head().height) target = (*event)->height;
    // Blocks announced while we were not listening are found by the next round's catch-up.
    if (event && !*event) {
      auto head = source->call(net::get_head{}, call_timeout);
      if (head) {
        auto* h = std::get_if<net::head_view>(&*head);
        if (h && h->height > node_.ledger().head().height) target = h->height;
      }
    }
  }
}

}  // namespace synod::actors
