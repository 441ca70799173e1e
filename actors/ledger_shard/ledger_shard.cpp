#include "actors/ledger_shard/ledger_shard.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "synod/chain/apply.hpp"
#include "synod/chain/parallel.hpp"
#include "synod/chain/records.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

struct shard_state {
  std::shared_ptr<ledger::ledger> ledger;
  std::unique_ptr<chain::mempool> pool;
  static inline const char* name = "ledger_shard";

  submit_result submit(const bytes& envelope) { return submit(envelope, *ledger->db().state()); }

  submit_result submit(const bytes& envelope, const chain::state_view& head) {
    const auto& ctx = ledger->context();
    auto tx = chain::decode_tx(envelope, ctx.chain_id, ctx.params);
    if (!tx) return rejected(tx.error());
    if (auto st = chain::check_signatures(*tx, ctx.chain_id); !st) return rejected(st.error());
    bytes id(tx->id.data.begin(), tx->id.data.end());
    auto nonce = chain::get_account(head, tx->signer).nonce;
    // A call that would fail against the head state (an overspend, an unregistered hotkey)
    // is refused here with its reason and costs nothing; one that only fails because the
    // state changes before its block is included with a failure receipt.
    if (tx->nonce == nonce) {
      chain::overlay dry_run(head, /*track_digest=*/false);
      auto r = chain::apply_tx(dry_run, *tx, ctx.params, ledger->head().height + 1);
      if (!r) return rejected(r.error());
      if (r->failure) return rejected(*r->failure);
    }
    if (auto st = pool->add({envelope, std::move(*tx)}, nonce); !st) return rejected(st.error());
    return {"", "", std::move(id)};
  }

  static submit_result rejected(const error& e) {
    return {std::string(e.domain().name) + "." + std::string(e.code_name()), e.message(), {}};
  }
};

using shard_pointer = ledger_shard_actor::stateful_pointer<shard_state>;

ledger_shard_actor::behavior_type shard_behavior(shard_pointer self,
                                                 std::shared_ptr<ledger::ledger> l,
                                                 chain::mempool_options opts) {
  self->state.ledger = std::move(l);
  self->state.pool = std::make_unique<chain::mempool>(opts);
  return {
      [=](submit_atom, const bytes& envelope) { return self->state.submit(envelope); },
      [=](submit_atom, const bytes_list& envelopes) {
        auto head = self->state.ledger->db().state();
        submit_results out;
        out.reserve(envelopes.size());
        for (const auto& e : envelopes) out.push_back(self->state.submit(e, *head));
        return out;
      },
      [=](ready_atom, std::uint64_t max) {
        auto& st = self->state;
        auto view = st.ledger->db().state();
        auto nonce_of = [&](const crypto::public_key& k) { return chain::get_account(*view, k).nonce; };
        auto batch = std::make_shared<tx_batch>();
        for (const auto* p : st.pool->ready(nonce_of, max)) {
          batch->envelopes.push_back(p->envelope);
          batch->txs.push_back(p->tx);
        }
        return tx_batch_ptr(std::move(batch));
      },
      [=](apply_atom, const apply_job_ptr& job) {
        auto& st = self->state;
        auto view = st.ledger->db().state();
        auto mode = job->import ? chain::slice_mode::import : chain::slice_mode::build;
        return slice_outcome_ptr(std::make_shared<chain::slice_outcome>(chain::apply_slice(
            *view, st.ledger->context(), *job->txs, job->indexes, job->height, mode)));
      },
      [=](pending_atom, const bytes& id) {
        auto h = hash32::from_view(id);
        return h && self->state.pool->contains(*h);
      },
      [=](committed_atom, std::uint64_t) {
        auto& st = self->state;
        auto view = st.ledger->db().state();
        st.pool->prune([&](const crypto::public_key& k) { return chain::get_account(*view, k).nonce; });
      },
  };
}

}  // namespace

ledger_shard_actor spawn_ledger_shard(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                                      chain::mempool_options opts) {
  return sys.spawn(shard_behavior, std::move(l), opts);
}

}  // namespace synod::actors
