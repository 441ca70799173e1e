#include "actors/peer/peer.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <deque>

#include "actors/system/errors.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

struct pending_import {
  bytes raw;
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

// The shards said which signatures hold; the ledger decodes, applies and commits. A bad
// signature is checked once more here, serially, only to name it precisely.
void finish_import(peer_pointer self, const bytes& valid) {
  auto& st = self->state;
  auto job = std::move(st.imports.front());
  st.imports.pop_front();
  auto checker = [&valid](std::span<const chain::decoded_tx> txs, const hash32& chain_id) {
    std::vector<status> out;
    out.reserve(txs.size());
    for (std::size_t i = 0; i < txs.size(); ++i)
      out.push_back(i < valid.size() && valid[i] ? ok() : chain::check_signatures(txs[i], chain_id));
    return out;
  };
  auto outcome = st.ledger->import(job.raw, checker);
  if (!outcome) {
    job.promise.deliver(to_caf_error(outcome.error()));
  } else {
    auto height = st.ledger->head().height;
    for (const auto& s : st.shards) self->send(s, committed_atom_v, height);
    fan_out(self, job.raw);
    job.promise.deliver(height);
  }
  st.importing = false;
  next_import(self);
}

// Splits the block's signature checks across the shards, transaction i to shard i mod K.
void next_import(peer_pointer self) {
  auto& st = self->state;
  if (st.importing || st.imports.empty()) return;
  st.importing = true;
  const auto& ctx = st.ledger->context();
  auto block = chain::decode_block(st.imports.front().raw, ctx.params);
  if (!block || block->txs.empty()) return finish_import(self, {});  // the ledger names the fault
  auto k = st.shards.size();
  auto valid = std::make_shared<bytes>(block->txs.size(), 0);
  std::vector<bytes_list> parts(k);
  for (std::size_t i = 0; i < block->txs.size(); ++i)
    parts[i % k].emplace_back(block->txs[i].begin(), block->txs[i].end());
  auto remaining = std::make_shared<std::size_t>(std::min(k, block->txs.size()));
  for (std::size_t s = 0; s < k && s < block->txs.size(); ++s) {
    auto done = [=] { if (--*remaining == 0) finish_import(self, *valid); };
    self->request(st.shards[s], std::chrono::seconds(30), verify_atom_v, parts[s])
        .then(
            [=](bytes& flags) {
              for (std::size_t j = 0; j < flags.size(); ++j) (*valid)[s + j * k] = flags[j];
              done();
            },
            [=](caf::error&) { done(); });  // unchecked entries are re-checked serially
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
        self->state.imports.push_back({raw, rp});
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
