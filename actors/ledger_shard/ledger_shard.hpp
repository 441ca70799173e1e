#pragma once
// ledger_shard: owns the mempool slice of the signers that shard_of() maps to it. It has the
// node's verify pool decode and signature-check every submission for its slice (the expensive
// part, on every core whatever K is) while it goes on serving the block producer, admits each
// against the signer's committed nonce, hands ready runs to the producer, and prunes after
// each committed block. For every block, made here or
// imported, it applies the slice of the block's transactions it is given (and for an import
// checks their signatures), in parallel with the other shards (chain/parallel.hpp).

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <memory>

#include "actors/system/types.hpp"
#include "synod/chain/mempool.hpp"

namespace synod::ledger {
class ledger;
}

namespace synod::actors {

class verify_pool;

using ledger_shard_actor = caf::typed_actor<
    // Admit a transaction envelope. Never fails at the CAF level: rejections are in the reply.
    caf::replies_to<submit_atom, bytes>::with<submit_result>,
    // Admit several envelopes against one head snapshot; one result each, in order.
    caf::replies_to<submit_atom, bytes_list>::with<submit_results>,
    // Up to N ready transactions, in the order the block should carry them.
    caf::replies_to<ready_atom, std::uint64_t>::with<tx_batch_ptr>,
    // Applies a slice of a block's transactions over the head state.
    caf::replies_to<apply_atom, apply_job_ptr>::with<slice_outcome_ptr>,
    // Whether a transaction id is waiting in this shard.
    caf::replies_to<pending_atom, bytes>::with<bool>,
    // A block at this height committed: drop what it made stale (every signer looked up).
    caf::reacts_to<committed_atom, std::uint64_t>,
    // A block this node made committed: only its candidates' signers move, and what it left
    // out as invalid leaves the pool.
    caf::reacts_to<committed_atom, std::uint64_t, committed_ptr>,
    // Internal: a batch the verify pool has vetted, to admit and answer.
    caf::reacts_to<vetted_atom, vet_job_ptr>>;

/// `pool`: the node's verification threads, shared by all its shards.
ledger_shard_actor spawn_ledger_shard(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                                      chain::mempool_options opts, std::shared_ptr<verify_pool> pool);

}  // namespace synod::actors
