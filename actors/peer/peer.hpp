#pragma once
// peer: the node's door to other nodes. After every block this node commits (produced here
// or imported) it prunes the shards' mempools, tells local listeners (the gateway's block
// feed) and forwards the block to subscribed peers; blocks from other peers it verifies and
// imports through the ledger. One writer per node: on an authority node the block producer
// commits and the peer only imports when no producer runs.

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <functional>
#include <memory>

#include "actors/ledger_shard/ledger_shard.hpp"

namespace synod::actors {

using peer_actor = caf::typed_actor<
    // This node's producer committed `raw` (and pruned the shards): tell listeners and peers.
    caf::reacts_to<block_atom, bytes>,
    // Another node's peer wants our blocks (it will receive import_atom messages).
    caf::reacts_to<subscribe_atom, caf::actor>,
    // A block from another node: verify, commit, fan out. Replies the new height.
    caf::replies_to<import_atom, bytes>::with<std::uint64_t>>;

/// Called (on the peer's thread) with each committed block's bytes.
using block_listener = std::function<void(const bytes& raw)>;

peer_actor spawn_peer(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                      std::vector<ledger_shard_actor> shards, block_listener listener);

}  // namespace synod::actors
