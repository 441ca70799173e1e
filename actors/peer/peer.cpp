#include "actors/peer/peer.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/system/errors.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

struct peer_state {
  std::shared_ptr<ledger::ledger> ledger;
  std::vector<ledger_shard_actor> shards;
  block_listener listener;
  std::vector<caf::actor> subscribers;
  static inline const char* name = "peer";
};

using peer_pointer = peer_actor::stateful_pointer<peer_state>;

void fan_out(peer_pointer self, const bytes& raw) {
  auto& st = self->state;
  if (st.listener) st.listener(raw);
  // anon: a subscriber answers imports with its height, which this peer has no use for.
  for (const auto& sub : st.subscribers) caf::anon_send(sub, import_atom_v, raw);
}

peer_actor::behavior_type peer_behavior(peer_pointer self, std::shared_ptr<ledger::ledger> l,
                                        std::vector<ledger_shard_actor> shards,
                                        block_listener listener) {
  self->state.ledger = std::move(l);
  self->state.shards = std::move(shards);
  self->state.listener = std::move(listener);
  return {
      [=](block_atom, const bytes& raw) { fan_out(self, raw); },
      [=](subscribe_atom, caf::actor who) {
        self->state.subscribers.push_back(std::move(who));
      },
      [=](import_atom, const bytes& raw) -> caf::result<std::uint64_t> {
        auto outcome = self->state.ledger->import(raw);
        if (!outcome) return to_caf_error(outcome.error());
        auto height = self->state.ledger->head().height;
        for (const auto& s : self->state.shards) self->send(s, committed_atom_v, height);
        fan_out(self, raw);
        return self->state.ledger->head().height;
      },
  };
}

}  // namespace

peer_actor spawn_peer(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                      std::vector<ledger_shard_actor> shards, block_listener listener) {
  return sys.spawn(peer_behavior, std::move(l), std::move(shards), std::move(listener));
}

}  // namespace synod::actors
