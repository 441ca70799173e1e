#include "synod/chain/mempool.hpp"

#include <queue>

#include "synod/chain/errc.hpp"

namespace synod::chain {

status mempool::add(pooled_tx tx, std::uint64_t next_nonce) {
  const auto& t = tx.tx;
  if (t.nonce < next_nonce)
    return error(errc::nonce_too_low, "nonce " + std::to_string(t.nonce) + " already used, next is " +
                                          std::to_string(next_nonce));
  if (t.nonce - next_nonce >= opts_.nonce_window)
    return error(errc::nonce_too_high, "nonce " + std::to_string(t.nonce) + " is too far ahead, next is " +
                                           std::to_string(next_nonce) + " (window " +
                                           std::to_string(opts_.nonce_window) + ")");
  if (ids_.count(t.id)) return error(errc::duplicate_tx, "transaction " + t.id.hex() + " is already pending");
  auto& q = by_signer_[t.signer];
  if (q.count(t.nonce))
    return error(errc::duplicate_tx, "another transaction with nonce " + std::to_string(t.nonce) +
                                         " from this signer is already pending");
  if (q.size() >= opts_.per_signer)
    return error(errc::mempool_full, "signer has " + std::to_string(q.size()) +
                                         " pending transactions, the quota is " +
                                         std::to_string(opts_.per_signer));
  if (ids_.size() >= opts_.capacity)
    return error(errc::mempool_full, "mempool holds " + std::to_string(ids_.size()) +
                                         " transactions, its capacity; retry after the next block");
  ids_.insert(t.id);
  std::uint64_t nonce = t.nonce;
  q.emplace(nonce, entry{arrivals_++, std::move(tx)});
  return ok();
}

std::vector<const pooled_tx*> mempool::ready(const nonce_lookup& next_nonce, std::size_t max) const {
  // A cursor per signer over its consecutive run; a heap picks the earliest arrival next.
  struct cursor {
    std::uint64_t arrival;
    const queue* q;
    queue::const_iterator it;
    bool operator>(const cursor& o) const { return arrival > o.arrival; }
  };
  std::priority_queue<cursor, std::vector<cursor>, std::greater<>> heap;
  for (const auto& [signer, q] : by_signer_) {
    auto it = q.find(next_nonce(signer));
    if (it != q.end()) heap.push({it->second.arrival, &q, it});
  }
  std::vector<const pooled_tx*> out;
  while (!heap.empty() && out.size() < max) {
    auto c = heap.top();
    heap.pop();
    out.push_back(&c.it->second.tx);
    auto next = std::next(c.it);
    if (next != c.q->end() && next->first == c.it->first + 1)
      heap.push({next->second.arrival, c.q, next});
  }
  return out;
}

std::size_t mempool::prune(const nonce_lookup& next_nonce, const std::vector<hash32>& drop) {
  // Each signer's queue is ordered by nonce, so its stale entries are one leading range: a
  // block costs a lookup per signer plus what it removes, not a walk over the whole pool.
  std::set<hash32> dropped(drop.begin(), drop.end());
  auto erase = [this](queue& q, queue::iterator it) {
    ids_.erase(it->second.tx.tx.id);
    return q.erase(it);
  };
  for (auto s = by_signer_.begin(); s != by_signer_.end();) {
    auto& q = s->second;
    for (auto it = q.begin(), stale = q.lower_bound(next_nonce(s->first)); it != stale;)
      it = erase(q, it);
    if (!dropped.empty()) {
      for (auto it = q.begin(); it != q.end();)
        it = dropped.count(it->second.tx.tx.id) ? erase(q, it) : std::next(it);
    }
    s = q.empty() ? by_signer_.erase(s) : std::next(s);
  }
  return ids_.size();
}

}  // namespace synod::chain
