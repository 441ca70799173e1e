#pragma once
// block_producer: on an authority node, makes a block every block interval. It gathers ready
// transactions from every shard (each shard's budget is max_block_txs / K, so no signer slice
// starves), builds and commits the block through the ledger, and hands it to the peer.
// A store fault stops the producer (and so the node): it never builds on a state it could not
// write.

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <memory>

#include "actors/ledger_shard/ledger_shard.hpp"
#include "actors/peer/peer.hpp"
#include "synod/crypto/keys.hpp"

namespace synod::actors {

using block_producer_actor = caf::typed_actor<
    // The interval timer: produce if no round is running, then re-arm.
    caf::reacts_to<tick_atom>,
    // Produce one block now (tests, benchmarks, --manual-seal); replies its height.
    caf::replies_to<produce_atom>::with<std::uint64_t>>;

struct producer_options {
  crypto::keypair authority;
  std::chrono::milliseconds block_time{1000};
  bool timer = true;  ///< false: only produce_atom makes blocks
};

block_producer_actor spawn_block_producer(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                                          std::vector<ledger_shard_actor> shards, peer_actor peer,
                                          producer_options opts);

}  // namespace synod::actors
