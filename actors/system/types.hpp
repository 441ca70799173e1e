#pragma once
// Every type and atom that travels between Synod's actors, in one append-only type-ID block
// (append new entries at the end; never reorder). Consensus data and client requests travel
// as verified FlatBuffers bytes inside `bytes`, not as CAF-serialised structs.

#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include <cstdint>
#include <string>
#include <vector>

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

}  // namespace synod::actors

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
CAF_END_TYPE_ID_BLOCK(synod)
