#include "actors/ledger_shard/ledger_shard.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "synod/chain/apply.hpp"
#include "synod/chain/parallel.hpp"
#include "synod/chain/records.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {
namespace {

// Runs fn(0) .. fn(n - 1) on `threads` threads (this one included), in chunks.
template <class Fn>
void for_each_index(std::size_t n, unsigned threads, Fn fn) {
  constexpr std::size_t chunk = 16;
  if (threads <= 1 || n < 4 * chunk) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(chunk)) < n;)
      for (std::size_t j = i; j < std::min(n, i + chunk); ++j) fn(j);
  };
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
}

struct shard_state {
  std::shared_ptr<ledger::ledger> ledger;
  std::unique_ptr<chain::mempool> pool;
  unsigned verify_threads = 1;
  static inline const char* name = "ledger_shard";

  // A transaction that passed every read-only test: decoded, signatures, and (when its nonce
  // is the next) a dry run against the head. Pure reads of the shared head snapshot, so a
  // batch's envelopes are vetted on several threads at once.
  struct vetted {
    chain::decoded_tx tx;
    std::uint64_t next_nonce = 0;
  };

  result<vetted> vet(const bytes& envelope, const chain::state_view& head,
                     std::uint64_t height) const {
    const auto& ctx = ledger->context();
    auto tx = chain::decode_tx(envelope, ctx.chain_id, ctx.params);
    if (!tx) return std::move(tx).error();
    SYNOD_TRY(chain::check_signatures(*tx, ctx.chain_id));
    auto nonce = chain::get_account(head, tx->signer).nonce;
    // A call that would fail against the head state (an overspend, an unregistered hotkey)
    // is refused here with its reason and costs nothing; one that only fails because the
    // state changes before its block is included with a failure receipt.
    if (tx->nonce == nonce) {
      chain::overlay dry_run(head, /*track_digest=*/false);
      auto r = chain::apply_tx(dry_run, *tx, ctx.params, height);
      if (!r) return std::move(r).error();
      if (r->failure) return *r->failure;
    }
    return vetted{std::move(*tx), nonce};
  }

  submit_result submit(const bytes& envelope) {
    auto head = ledger->db().state();
    return admit(envelope, vet(envelope, *head, ledger->head().height + 1));
  }

  // A batch against one head snapshot: the vetting (signature checks being the expensive
  // part) runs on verify_threads threads, so that even one shard uses every core
  // (DESIGN.md); only the mempool insertions are serial.
  submit_results submit(const bytes_list& envelopes) {
    auto head = ledger->db().state();
    const auto height = ledger->head().height + 1;
    std::vector<std::optional<result<vetted>>> checked(envelopes.size());
    for_each_index(envelopes.size(), verify_threads,
                   [&](std::size_t i) { checked[i].emplace(vet(envelopes[i], *head, height)); });
    submit_results out;
    out.reserve(envelopes.size());
    for (std::size_t i = 0; i < envelopes.size(); ++i)
      out.push_back(admit(envelopes[i], std::move(*checked[i])));
    return out;
  }

  submit_result admit(const bytes& envelope, result<vetted> v) {
    if (!v) return rejected(v.error());
    bytes id(v->tx.id.data.begin(), v->tx.id.data.end());
    if (auto st = pool->add({envelope, std::move(v->tx)}, v->next_nonce); !st) return rejected(st.error());
    return {"", "", std::move(id)};
  }

  static submit_result rejected(const error& e) {
    return {std::string(e.domain().name) + "." + std::string(e.code_name()), e.message(), {}};
  }
};

using shard_pointer = ledger_shard_actor::stateful_pointer<shard_state>;

ledger_shard_actor::behavior_type shard_behavior(shard_pointer self,
                                                 std::shared_ptr<ledger::ledger> l,
                                                 chain::mempool_options opts, unsigned threads) {
  self->state.ledger = std::move(l);
  self->state.verify_threads = std::max(1u, threads);
  self->state.pool = std::make_unique<chain::mempool>(opts);
  return {
      [=](submit_atom, const bytes& envelope) { return self->state.submit(envelope); },
      [=](submit_atom, const bytes_list& envelopes) { return self->state.submit(envelopes); },
      [=](ready_atom, std::uint64_t max) {
        auto& st = self->state;
        auto batch = std::make_shared<tx_batch>();
        for (const auto* p : st.pool->ready(max)) {
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
      [=](committed_atom, std::uint64_t, const committed_ptr& block) {
        auto& st = self->state;
        auto view = st.ledger->db().state();
        std::vector<crypto::public_key> signers;
        signers.reserve(block->candidates->size());
        for (const auto& t : *block->candidates) signers.push_back(t.signer);
        st.pool->prune_signers([&](const crypto::public_key& k) { return chain::get_account(*view, k).nonce; },
                               signers, block->dropped);
      },
  };
}

}  // namespace

ledger_shard_actor spawn_ledger_shard(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                                      chain::mempool_options opts, unsigned verify_threads) {
  return sys.spawn(shard_behavior, std::move(l), opts, verify_threads);
}

}  // namespace synod::actors
