#include "actors/ledger_shard/ledger_shard.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <functional>
#include <optional>

#include "actors/ledger_shard/verify_pool.hpp"

#include "synod/chain/apply.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/parallel.hpp"
#include "synod/chain/records.hpp"
#include "synod/ledger/ledger.hpp"

namespace synod::actors {

// A transaction that passed every read-only test: decoded, signatures, and (when its nonce is
// the next) a dry run against the head.
struct vetted {
  chain::decoded_tx tx;
  std::uint64_t next_nonce = 0;
};

// A signer's next nonce that the shard's pool already knows, so vetting need not read it.
struct known_nonce {
  crypto::public_key signer;
  std::uint64_t next = 0;
};

// A submission batch out at the verify pool and back. Everything vetting reads is here (the
// ledger too), so a pool thread never touches the shard's state.
struct vet_job {
  std::shared_ptr<ledger::ledger> ledger;
  std::unique_ptr<chain::state_view> head;
  std::uint64_t height = 0;  // of the next block: the snapshot is of height - 1
  bytes_list envelopes;
  std::vector<std::optional<known_nonce>> known;
  std::vector<std::optional<result<vetted>>> checked;
  std::function<void(submit_results)> deliver;
};

namespace {

// Pure reads of the job's head snapshot, so the pool vets a batch's envelopes on several
// threads at once. A call that would fail against the head state (an overspend, an
// unregistered hotkey) is refused here with its reason and costs nothing; one that only fails
// because the state changes before its block is included with a failure receipt.
result<vetted> vet(const vet_job& job, std::size_t i) {
  const auto& ctx = job.ledger->context();
  auto tx = chain::decode_tx(job.envelopes[i], ctx.chain_id, ctx.params);
  if (!tx) return std::move(tx).error();
  SYNOD_TRY(chain::check_signatures(*tx, ctx.chain_id));
  const auto& known = job.known[i];
  auto nonce = known && known->signer == tx->signer ? known->next
                                                     : chain::get_account(*job.head, tx->signer).nonce;
  if (tx->nonce == nonce) {
    chain::overlay dry_run(*job.head, /*track_digest=*/false);
    auto r = chain::apply_tx(dry_run, *tx, ctx.params, job.height);
    if (!r) return std::move(r).error();
    if (r->failure) return *r->failure;
  }
  return vetted{std::move(*tx), nonce};
}

struct shard_state {
  std::shared_ptr<ledger::ledger> ledger;
  std::unique_ptr<chain::mempool> pool;
  std::shared_ptr<verify_pool> verifier;
  std::uint64_t pruned_height = 0;  // the last committed block the pool was pruned for
  std::size_t capacity = 0;         // the pool's, counting envelopes out for checking
  std::size_t in_flight = 0;        // envelopes at the verify pool
  static inline const char* name = "ledger_shard";

  // Envelopes out for checking count against the pool's capacity, so a flood of submissions
  // is answered at once instead of queueing without bound in front of the verify pool.
  std::size_t room() const {
    const auto waiting = pool->size() + in_flight;
    return capacity > waiting ? capacity - waiting : 0;
  }

  submit_result full() const {
    return rejected(error(chain::errc::mempool_full,
                          "mempool is full: " + std::to_string(capacity) +
                              " transactions pending or being checked; retry after the next block"));
  }

  // A batch against one head snapshot goes to the verify pool; its answer comes back as a
  // vetted message. The pool's nonces stand in for state reads only when the pool has been
  // pruned for the snapshot's block.
  vet_job_ptr make_job(bytes_list envelopes, std::function<void(submit_results)> deliver) const {
    auto job = std::make_shared<vet_job>();
    job->ledger = ledger;
    const auto before = ledger->head().height;
    job->head = ledger->db().state();
    const auto after = ledger->head().height;
    job->height = after + 1;
    job->known.resize(envelopes.size());
    if (before == after && after == pruned_height)
      for (std::size_t i = 0; i < envelopes.size(); ++i)
        if (auto signer = chain::envelope_signer(envelopes[i]))
          if (auto next = pool->next_nonce_of(*signer)) job->known[i] = known_nonce{*signer, *next};
    job->checked.resize(envelopes.size());
    job->envelopes = std::move(envelopes);
    job->deliver = std::move(deliver);
    return job;
  }

  // Admissions are serial, on the shard. A block may have committed since the batch was
  // vetted. For a signer with transactions pending, the pool knows its newer nonce (or will,
  // once it prunes for that block) and takes the larger. A signer the pool does not hold is
  // read again: the block may have emptied its queue, and a stale nonce would leave its
  // queue waiting for a nonce already used.
  void admit_all(vet_job& job) {
    in_flight -= job.envelopes.size();
    std::unique_ptr<chain::state_view> now;
    const bool moved = ledger->head().height + 1 != job.height;
    submit_results out;
    out.reserve(job.envelopes.size());
    for (std::size_t i = 0; i < job.envelopes.size(); ++i) {
      if (!job.checked[i]) job.checked[i].emplace(unchecked("no result"));  // its check threw twice
      auto& v = *job.checked[i];
      if (v && moved && !pool->next_nonce_of(v->tx.signer)) {
        if (!now) now = ledger->db().state();
        v->next_nonce = chain::get_account(*now, v->tx.signer).nonce;
      }
      out.push_back(admit(std::move(job.envelopes[i]), std::move(v)));
    }
    job.deliver(std::move(out));
  }

  submit_result admit(bytes envelope, result<vetted> v) {
    if (!v) return rejected(v.error());
    bytes id(v->tx.id.data.begin(), v->tx.id.data.end());
    if (auto st = pool->add({std::move(envelope), std::move(v->tx)}, v->next_nonce); !st)
      return rejected(st.error());
    return {"", "", std::move(id)};
  }

  // A block from elsewhere: every pending signer's nonce is read.
  void prune_all(std::uint64_t height) {
    pruned_height = height;
    auto view = ledger->db().state();
    pool->prune([&](const crypto::public_key& k) { return chain::get_account(*view, k).nonce; });
  }

  // A block this node made: only its candidates' signers can have moved, and only if the
  // block wrote their accounts; otherwise 0 leaves the pool's own nonce (it keeps the larger).
  void prune_block(std::uint64_t height, const committed_info& block) {
    pruned_height = height;
    const chain::diff_view writes(*block.writes);
    std::vector<crypto::public_key> signers;
    signers.reserve(block.candidates->size());
    for (const auto& t : *block.candidates) signers.push_back(t.signer);
    pool->prune_signers([&](const crypto::public_key& k) { return chain::get_account(writes, k).nonce; },
                        signers, block.dropped);
  }

  // A check that could not finish (out of memory, say) refuses the transaction as
  // back-pressure: nothing was admitted, and the client may send it again.
  static error unchecked(const std::string& why) {
    return error(chain::errc::mempool_full, "the node could not check this transaction (" + why + "); retry later");
  }

  static submit_result rejected(const error& e) {
    return {std::string(e.domain().name) + "." + std::string(e.code_name()), e.message(), {}};
  }
};

using shard_pointer = ledger_shard_actor::stateful_pointer<shard_state>;

// Sends a batch (as much of it as the capacity leaves room for) to the verify pool. The pool
// calls back from its own thread with a message, so admission stays on the shard.
void send_to_pool(shard_pointer self, bytes_list envelopes, std::function<void(submit_results)> deliver) {
  auto& st = self->state;
  if (const auto left = st.room(); envelopes.size() > left) {
    const auto refused = envelopes.size() - left;
    envelopes.resize(left);
    deliver = [deliver = std::move(deliver), refused, full = st.full()](submit_results rs) {
      rs.insert(rs.end(), refused, full);
      deliver(std::move(rs));
    };
  }
  st.in_flight += envelopes.size();
  auto job = st.make_job(std::move(envelopes), std::move(deliver));
  auto me = caf::actor_cast<ledger_shard_actor>(self);
  const auto n = job->envelopes.size();
  st.verifier->run(
      n,
      [raw = job.get()](std::size_t i) {
        try {
          raw->checked[i].emplace(vet(*raw, i));
        } catch (const std::exception& e) {
          raw->checked[i].emplace(shard_state::unchecked(e.what()));
        }
      },
      [job, me] { caf::anon_send(me, vetted_atom_v, job); });
}

ledger_shard_actor::behavior_type shard_behavior(shard_pointer self,
                                                 std::shared_ptr<ledger::ledger> l,
                                                 chain::mempool_options opts,
                                                 std::shared_ptr<verify_pool> verifier) {
  self->state.ledger = std::move(l);
  self->state.verifier = std::move(verifier);
  self->state.pool = std::make_unique<chain::mempool>(opts);
  self->state.pruned_height = self->state.ledger->head().height;
  self->state.capacity = opts.capacity;
  return {
      [=](submit_atom, bytes& envelope) -> caf::result<submit_result> {
        auto rp = self->make_response_promise<submit_result>();
        send_to_pool(self, bytes_list{std::move(envelope)},
                     [rp](submit_results rs) mutable { rp.deliver(std::move(rs.front())); });
        return rp;
      },
      [=](submit_atom, bytes_list& envelopes) -> caf::result<submit_results> {
        auto rp = self->make_response_promise<submit_results>();
        send_to_pool(self, std::move(envelopes), [rp](submit_results rs) mutable { rp.deliver(std::move(rs)); });
        return rp;
      },
      [=](vetted_atom, const vet_job_ptr& job) { self->state.admit_all(*job); },
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
      [=](committed_atom, std::uint64_t height) { self->state.prune_all(height); },
      [=](committed_atom, std::uint64_t height, const committed_ptr& block) {
        self->state.prune_block(height, *block);
      },
  };
}

}  // namespace

ledger_shard_actor spawn_ledger_shard(caf::actor_system& sys, std::shared_ptr<ledger::ledger> l,
                                      chain::mempool_options opts, std::shared_ptr<verify_pool> pool) {
  return sys.spawn(shard_behavior, std::move(l), opts, std::move(pool));
}

}  // namespace synod::actors
