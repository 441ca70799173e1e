#pragma once
// Every type and atom that travels between Synod's actors, in one append-only type-ID block
// (append new entries at the end; never reorder). Consensus data and client requests travel
// as verified FlatBuffers bytes inside `bytes`, not as CAF-serialised structs.

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "synod/base/bytes.hpp"

namespace synod::chain {
struct decoded_tx;
struct slice_outcome;
}  // namespace synod::chain

namespace synod::actors {

using bytes = std::vector<std::uint8_t>;
using bytes_list = std::vector<bytes>;

/// A shard's answer to a submission: `code` empty means admitted and `tx_id` holds the id;
/// otherwise `code` is "<domain>.<code>" and `message` names the reason.
struct submit_result {
  std::string code;
  std::string message;
  bytes tx_id;
  friend bool operator==(const submit_result&, const submit_result&) = default;
};

using submit_results = std::vector<submit_result>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, submit_result& x) {
  return f(caf::meta::type_name("synod.submit_result"), x.code, x.message, x.tx_id);
}

// In-process only (never serialised, so never sent to another node): decoded transactions and
// applied slices travel between the producer or peer and the shards by shared pointer.

/// Transactions ready for a block, decoded once by the shard that admitted them.
struct tx_batch {
  bytes_list envelopes;
  std::vector<chain::decoded_tx> txs;
};
using tx_batch_ptr = std::shared_ptr<const tx_batch>;

/// One slice of a block's transactions (chain::plan_slices) for a shard to apply over the
/// head state; `import` checks signatures and stops at the first invalid transaction.
struct apply_job {
  std::shared_ptr<const std::vector<chain::decoded_tx>> txs;
  std::vector<std::uint32_t> indexes;
  std::uint64_t height = 0;
  bool import = false;
};
using apply_job_ptr = std::shared_ptr<const apply_job>;
/// A block this node made, once committed: the candidates it was built from (their signers'
/// queues are pruned) and those it left out as invalid (dropped from the pools, or they would
/// be offered again every block and hold up their signers' later transactions).
/// `writes` is the block's state diff: the shards read their signers' new nonces there
/// rather than from the store.
struct committed_info {
  std::shared_ptr<const std::vector<chain::decoded_tx>> candidates;
  std::vector<fixed_bytes<32>> dropped;
  std::shared_ptr<const std::map<bytes, std::optional<bytes>, bytes_less>> writes;
};
using committed_ptr = std::shared_ptr<const committed_info>;
using slice_outcome_ptr = std::shared_ptr<const chain::slice_outcome>;
/// A submission batch the node's verify pool has vetted, back at its shard for admission
/// (defined in actors/ledger_shard).
struct vet_job;
using vet_job_ptr = std::shared_ptr<vet_job>;

}  // namespace synod::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(synod::actors::tx_batch_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(synod::actors::apply_job_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(synod::actors::slice_outcome_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(synod::actors::committed_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(synod::actors::vet_job_ptr)

CAF_BEGIN_TYPE_ID_BLOCK(synod, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(synod, (synod::actors::bytes))
  CAF_ADD_TYPE_ID(synod, (synod::actors::bytes_list))
  CAF_ADD_TYPE_ID(synod, (synod::actors::submit_result))
  CAF_ADD_ATOM(synod, synod::actors, submit_atom, "submit")
  CAF_ADD_ATOM(synod, synod::actors, ready_atom, "ready")
  CAF_ADD_ATOM(synod, synod::actors, pending_atom, "pending")
  CAF_ADD_ATOM(synod, synod::actors, committed_atom, "committed")
  CAF_ADD_ATOM(synod, synod::actors, tick_atom, "tick")
  CAF_ADD_ATOM(synod, synod::actors, produce_atom, "produce")
  CAF_ADD_ATOM(synod, synod::actors, block_atom, "block")
  CAF_ADD_ATOM(synod, synod::actors, subscribe_atom, "subscribe")
  CAF_ADD_ATOM(synod, synod::actors, import_atom, "import")
  CAF_ADD_ATOM(synod, synod::actors, verify_atom, "verify")
  CAF_ADD_TYPE_ID(synod, (std::vector<synod::actors::submit_result>))
  CAF_ADD_ATOM(synod, synod::actors, apply_atom, "apply")
  CAF_ADD_ATOM(synod, synod::actors, vetted_atom, "vetted")
CAF_END_TYPE_ID_BLOCK(synod)
