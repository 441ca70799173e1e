#include "synod/chain/mempool.hpp"

#include <algorithm>
#include <queue>

#include "synod/chain/errc.hpp"

namespace synod::chain {

status mempool::add(pooled_tx tx, std::uint64_t next_nonce) {
  const auto& t = tx.tx;
  auto found = by_signer_.find(t.signer);
  // What the pool knows may be newer than the caller's snapshot (a prune since): the larger.
  if (found != by_signer_.end()) next_nonce = std::max(next_nonce, found->second.next);
  if (t.nonce < next_nonce)
    return error(errc::nonce_too_low, "nonce " + std::to_string(t.nonce) + " already used, next is " +
                                          std::to_string(next_nonce));
  if (t.nonce - next_nonce >= opts_.nonce_window)
    return error(errc::nonce_too_high, "nonce " + std::to_string(t.nonce) + " is too far ahead, next is " +
                                           std::to_string(next_nonce) + " (window " +
                                           std::to_string(opts_.nonce_window) + ")");
  if (ids_.count(t.id)) return error(errc::duplicate_tx, "transaction " + t.id.hex() + " is already pending");
  if (found != by_signer_.end()) {
    const queue& q = found->second.q;
    if (q.count(t.nonce))
      return error(errc::duplicate_tx, "another transaction with nonce " + std::to_string(t.nonce) +
                                           " from this signer is already pending");
    if (q.size() >= opts_.per_signer)
      return error(errc::mempool_full, "signer has " + std::to_string(q.size()) +
                                           " pending transactions, the quota is " +
                                           std::to_string(opts_.per_signer));
  }
  if (ids_.size() >= opts_.capacity)
    return error(errc::mempool_full, "mempool holds " + std::to_string(ids_.size()) +
                                         " transactions, its capacity; retry after the next block");
  auto& sq = found != by_signer_.end() ? found->second : by_signer_[t.signer];
  sq.next = next_nonce;
  ids_.insert(t.id);
  const std::uint64_t nonce = t.nonce;
  sq.q.emplace(nonce, entry{arrivals_++, std::move(tx)});
  return ok();
}

std::optional<std::uint64_t> mempool::next_nonce_of(const public_key& signer) const {
  auto found = by_signer_.find(signer);
  if (found == by_signer_.end()) return std::nullopt;
  return found->second.next;
}

std::vector<const pooled_tx*> mempool::ready(std::size_t max) const {
  // A cursor per signer over its consecutive run; a heap picks the earliest arrival next.
  struct cursor {
    std::uint64_t arrival;
    const queue* q;
    queue::const_iterator it;
    bool operator>(const cursor& o) const { return arrival > o.arrival; }
  };
  std::priority_queue<cursor, std::vector<cursor>, std::greater<>> heap;
  for (const auto& [signer, sq] : by_signer_) {
    auto it = sq.q.find(sq.next);
    if (it != sq.q.end()) heap.push({it->second.arrival, &sq.q, it});
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

mempool::signer_map::iterator mempool::prune_one(signer_map::iterator s, std::uint64_t next,
                                                 const std::set<hash32>& dropped) {
  // The queue is ordered by nonce, so the stale entries are one leading range.
  auto& sq = s->second;
  sq.next = std::max(sq.next, next);
  auto erase = [&](queue::iterator it) {
    ids_.erase(it->second.tx.tx.id);
    return sq.q.erase(it);
  };
  for (auto it = sq.q.begin(), stale = sq.q.lower_bound(sq.next); it != stale;) it = erase(it);
  if (!dropped.empty())
    for (auto it = sq.q.begin(); it != sq.q.end();) it = dropped.count(it->second.tx.tx.id) ? erase(it) : std::next(it);
  return sq.q.empty() ? by_signer_.erase(s) : std::next(s);
}

std::size_t mempool::prune(const nonce_lookup& next_nonce, const std::vector<hash32>& drop) {
  const std::set<hash32> dropped(drop.begin(), drop.end());
  for (auto s = by_signer_.begin(); s != by_signer_.end();) s = prune_one(s, next_nonce(s->first), dropped);
  return ids_.size();
}

std::size_t mempool::prune_signers(const nonce_lookup& next_nonce, const std::vector<public_key>& signers,
                                   const std::vector<hash32>& drop) {
  const std::set<hash32> dropped(drop.begin(), drop.end());
  std::vector<public_key> once(signers.begin(), signers.end());  // a lookup per signer, not per tx
  std::sort(once.begin(), once.end());
  once.erase(std::unique(once.begin(), once.end()), once.end());
  for (const auto& k : once)
    if (auto s = by_signer_.find(k); s != by_signer_.end()) prune_one(s, next_nonce(k), dropped);
  return ids_.size();
}

}  // namespace synod::chain
