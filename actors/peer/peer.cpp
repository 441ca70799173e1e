#include "actors/peer/peer.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <deque>

#include "actors/system/errors.hpp"
#include "synod/chain/parallel.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

struct pending_import {
  std::shared_ptr<const bytes> raw;
  caf::typed_response_promise<std::uint64_t> promise;
};

struct peer_state {
  std::shared_ptr<ledger::ledger> ledger;
  std::vector<ledger_shard_actor> shards;
  block_listener listener;
  std::vector<caf::actor> subscribers;
  std::deque<pending_import> imports;  // one at a time, in arrival order
  bool importing = false;
  static inline const char* name = "peer";
};

using peer_pointer = peer_actor::stateful_pointer<peer_state>;

void fan_out(peer_pointer self, const bytes& raw) {
  auto& st = self->state;
  if (st.listener) st.listener(raw);
  // anon: a subscriber answers imports with its height, which this peer has no use for.
  for (const auto& sub : st.subscribers) caf::anon_send(sub, import_atom_v, raw);
}

void next_import(peer_pointer self);

struct decoded_import {
  chain::decoded_block block;  // views into the job's raw bytes
  std::shared_ptr<std::vector<chain::decoded_tx>> txs;
};

// Commits (or refuses) the front block with the slices the shards applied; the ledger
// applies any slice a shard did not, and without `decoded` it decodes and checks everything
// serially, naming the first fault.
void finish_import(peer_pointer self, const decoded_import* decoded,
                   const ledger::applied_slices& slices) {
  auto& st = self->state;
  auto job = std::move(st.imports.front());
  st.imports.pop_front();
  auto outcome = decoded ? st.ledger->import(*job.raw, decoded->block, *decoded->txs, slices)
                         : st.ledger->import(*job.raw);
  if (!outcome) {
    job.promise.deliver(to_caf_error(outcome.error()));
  } else {
    auto height = st.ledger->head().height;
    for (const auto& s : st.shards) self->send(s, committed_atom_v, height);
    fan_out(self, *job.raw);
    job.promise.deliver(height);
  }
  st.importing = false;
  next_import(self);
}

// Decodes the front block once, then has each shard check and apply one slice of it.
void next_import(peer_pointer self) {
  auto& st = self->state;
  if (st.importing || st.imports.empty()) return;
  st.importing = true;
  const auto& ctx = st.ledger->context();
  auto raw = st.imports.front().raw;  // shared: the decoded views point into it
  auto block = chain::decode_block(*raw, ctx.params);
  if (!block) return finish_import(self, nullptr, {});
  auto decoded = std::make_shared<decoded_import>(decoded_import{std::move(*block), nullptr});
  decoded->txs = std::make_shared<std::vector<chain::decoded_tx>>();
  decoded->txs->reserve(decoded->block.txs.size());
  for (auto view : decoded->block.txs) {
    auto tx = chain::decode_tx(view, ctx.chain_id, ctx.params);
    if (!tx) return finish_import(self, nullptr, {});
    decoded->txs->push_back(std::move(*tx));
  }
  auto slices = std::make_shared<ledger::applied_slices>();
  slices->plan = chain::plan_slices(*decoded->txs, st.shards.size());
  slices->outcomes.resize(slices->plan.size());
  if (slices->plan.empty()) return finish_import(self, decoded.get(), *slices);
  auto remaining = std::make_shared<std::size_t>(slices->plan.size());
  auto height = decoded->block.header.height;
  for (std::size_t i = 0; i < slices->plan.size(); ++i) {
    auto job = std::make_shared<apply_job>(apply_job{decoded->txs, slices->plan[i], height, true});
    auto done = [=] {
      if (--*remaining == 0) finish_import(self, decoded.get(), *slices);
    };
    self->request(st.shards[i], std::chrono::seconds(30), apply_atom_v, apply_job_ptr(job))
        .then([=](slice_outcome_ptr& out) { slices->outcomes[i] = std::move(out); done(); },
              [=](caf::error&) { done(); });  // the ledger applies a missing slice itself
  }
}

peer_actor::behavior_type peer_behavior(peer_pointer self, std::shared_ptr<ledger::ledger> l,
                                        std::vector<ledger_shard_actor> shards,
                                        block_listener listener) {
  self->state.ledger = std::move(l);
  self->state.shards = std::move(shards);
  self->state.listener = std::move(listener);
  return {
      [=](block_atom, const bytes& raw) { fan_out(self, raw); },
      [=](subscribe_atom, caf::actor who) { self->state.subscribers.push_back(std::move(who)); },
      [=](import_atom, const bytes& raw) {
        auto rp = self->make_response_promise<std::uint64_t>();
        self->state.imports.push_back({std::make_shared<const bytes>(raw), rp});
        next_import(self);
        return rp;
      },
  };
}

}  // namespace

peer_actor spawn_peer(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                      std::vector<ledger_shard_actor> shards, block_listener listener) {
  return sys.spawn(peer_behavior, std::move(l), std::move(shards), std::move(listener));
}

}  // namespace synod::actors
