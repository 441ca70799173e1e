#include "actors/block_producer/block_producer.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>

#include "actors/system/errors.hpp"
#include "synod/chain/parallel.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

struct producer_state {
  std::shared_ptr<ledger::ledger> ledger;
  std::vector<ledger_shard_actor> shards;
  peer_actor peer;
  std::optional<producer_options> opts;
  bool busy = false;
  std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<caf::typed_response_promise<std::uint64_t>> waiting;
  static inline const char* name = "block_producer";
};

using producer_pointer = block_producer_actor::stateful_pointer<producer_state>;

// Commits the block once the shards applied their slices (a missing slice is applied by the
// ledger itself), then tells the shards, and after them everyone else.
void commit_round(producer_pointer self, std::shared_ptr<const tx_batch> batch,
                  std::shared_ptr<const std::vector<chain::decoded_tx>> txs,
                  const ledger::applied_slices& slices) {
  auto& st = self->state;
  auto slot = st.ledger->head().slot + 1;
  auto built = st.ledger->produce(slot, st.opts->authority, batch->envelopes, *txs, slices);
  st.busy = false;
  if (!built) {
    std::fprintf(stderr, "synod: block production stopped: %s\n", built.error().to_string().c_str());
    for (auto& rp : st.waiting) rp.deliver(to_caf_error(built.error(), caf_code::fault));
    st.waiting.clear();
    self->quit(to_caf_error(built.error(), caf_code::fault));
    return;
  }
  // Shards prune before anyone hears of the block, so a caller that saw produce_now return
  // (or a client that saw the block) finds the mempool room the block made.
  auto height = built->header.height;
  auto raw = std::make_shared<bytes>(std::move(built->raw));
  auto info = std::make_shared<committed_info>();
  info->candidates = txs;
  for (const auto& [id, why] : built->dropped) info->dropped.push_back(id);
  info->writes = std::make_shared<const chain::state_diff>(std::move(built->outcome.diff));
  const committed_ptr committed = std::move(info);
  auto remaining = std::make_shared<std::size_t>(st.shards.size());
  auto announce = [self, height, raw] {
    auto& s = self->state;
    self->send(s.peer, block_atom_v, *raw);
    for (auto& rp : s.waiting) rp.deliver(height);
    s.waiting.clear();
    s.busy = false;
  };
  st.busy = true;
  for (const auto& shard : st.shards)
    self->request(shard, std::chrono::seconds(10), committed_atom_v, height, committed)
        .then([=] { if (--*remaining == 0) announce(); },
              [=](caf::error&) { if (--*remaining == 0) announce(); });
}

// The candidates of the shards' ready lists, in shard order, applied as slices: one per shard.
void apply_round(producer_pointer self, const std::vector<tx_batch_ptr>& lists) {
  auto& st = self->state;
  const auto max = st.ledger->context().params.max_block_txs;
  auto batch = std::make_shared<tx_batch>();
  auto txs = std::make_shared<std::vector<chain::decoded_tx>>();
  for (const auto& list : lists) {
    if (!list) continue;
    for (std::size_t i = 0; i < list->txs.size() && txs->size() < max; ++i) {
      batch->envelopes.push_back(list->envelopes[i]);
      txs->push_back(list->txs[i]);
    }
  }
  auto slices = std::make_shared<ledger::applied_slices>();
  // With fewer shards than cores the producer applies the extra slices itself, on its own
  // thread, while the shards apply theirs.
  const auto k = st.shards.size();
  slices->plan = chain::plan_slices(*txs, std::max<std::size_t>(k, st.cores));
  slices->outcomes.resize(slices->plan.size());
  if (slices->plan.empty()) return commit_round(self, batch, txs, *slices);
  auto height = st.ledger->head().height + 1;
  const auto sent = std::min(k, slices->plan.size());
  auto remaining = std::make_shared<std::size_t>(sent);
  for (std::size_t i = 0; i < sent; ++i) {
    auto job = std::make_shared<apply_job>(apply_job{txs, slices->plan[i], height, false});
    auto done = [=] {
      if (--*remaining == 0) commit_round(self, batch, txs, *slices);
    };
    self->request(st.shards[i], std::chrono::seconds(30), apply_atom_v, apply_job_ptr(job))
        .then([=](slice_outcome_ptr& out) { slices->outcomes[i] = std::move(out); done(); },
              [=](caf::error&) { done(); });  // the ledger applies a missing slice itself
  }
  auto view = st.ledger->db().state();
  for (std::size_t i = sent; i < slices->plan.size(); ++i)
    slices->outcomes[i] = std::make_shared<chain::slice_outcome>(chain::apply_slice(
        *view, st.ledger->context(), *txs, slices->plan[i], height, chain::slice_mode::build));
}

void start_round(producer_pointer self) {
  auto& st = self->state;
  if (st.busy) return;
  st.busy = true;
  auto k = st.shards.size();
  std::uint64_t budget = (st.ledger->context().params.max_block_txs + k - 1) / k;
  auto lists = std::make_shared<std::vector<tx_batch_ptr>>(k);
  auto remaining = std::make_shared<std::size_t>(k);
  for (std::size_t i = 0; i < k; ++i) {
    auto done = [=] {
      if (--*remaining == 0) apply_round(self, *lists);
    };
    self->request(st.shards[i], std::chrono::seconds(10), ready_atom_v, budget)
        .then([=](tx_batch_ptr& l) { (*lists)[i] = std::move(l); done(); },
              [=](caf::error&) { done(); });  // a silent shard contributes nothing this round
  }
}

block_producer_actor::behavior_type producer_behavior(producer_pointer self,
                                                      std::shared_ptr<ledger::ledger> l,
                                                      std::vector<ledger_shard_actor> shards,
                                                      peer_actor peer, producer_options opts) {
  auto& st = self->state;
  st.ledger = std::move(l);
  st.shards = std::move(shards);
  st.peer = std::move(peer);
  st.opts = std::move(opts);
  if (st.opts->timer) self->send(self, tick_atom_v);
  return {
      [=](tick_atom) {
        start_round(self);
        self->delayed_send(self, self->state.opts->block_time, tick_atom_v);
      },
      [=](produce_atom) {
        auto rp = self->make_response_promise<std::uint64_t>();
        self->state.waiting.push_back(rp);
        start_round(self);
        return rp;
      },
  };
}

}  // namespace

block_producer_actor spawn_block_producer(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                                          std::vector<ledger_shard_actor> shards, peer_actor peer,
                                          producer_options opts) {
  return sys.spawn(producer_behavior, std::move(l), std::move(shards), std::move(peer),
                   std::move(opts));
}

}  // namespace synod::actors
