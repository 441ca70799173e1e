#include "actors/ledger_shard/verify_pool.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>

namespace synod::actors {

struct verify_pool::batch {
  std::size_t n = 0;
  std::size_t chunk = 1;
  std::size_t next = 0;            // the first index not yet handed out (under mu_)
  std::atomic<std::size_t> left{0};  // items not yet finished
  std::function<void(std::size_t)> each;
  std::function<void()> done;
};

verify_pool::verify_pool(unsigned threads) {
  const unsigned n = std::max(1u, threads);
  workers_.reserve(n);
  for (unsigned t = 0; t < n; ++t)
    workers_.emplace_back([this] {
      ::pthread_setname_np(::pthread_self(), "synod.verify");  // as top and perf show it
      work();
    });
}

verify_pool::~verify_pool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  workers_.clear();  // joins
}

void verify_pool::run(std::size_t n, std::function<void(std::size_t)> each, std::function<void()> done) {
  if (n == 0) {
    done();
    return;
  }
  auto b = std::make_shared<batch>();
  b->n = n;
  // Small enough chunks that every thread gets a share of a batch, large enough that taking
  // one (a lock) costs nothing beside the signature checks in it.
  b->chunk = std::clamp<std::size_t>(n / (4 * workers_.size()), 1, 16);
  b->left = n;
  b->each = std::move(each);
  b->done = std::move(done);
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(b));
  }
  wake_.notify_all();
}

void verify_pool::work() {
  for (;;) {
    std::shared_ptr<batch> b;
    std::size_t first = 0, last = 0;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      b = queue_.front();
      first = b->next;
      last = std::min(b->n, first + b->chunk);
      b->next = last;
      if (last == b->n) queue_.pop_front();  // handed out whole; the rest may still run
    }
    for (std::size_t i = first; i < last; ++i) {
      // An item that throws (std::bad_alloc, say) counts as run: the thread lives on, the
      // batch's other items run, and done() still comes. The item's owner sees no result.
      try {
        b->each(i);
      } catch (...) {
      }
    }
    if (b->left.fetch_sub(last - first) == last - first) b->done();
  }
}

}  // namespace synod::actors
