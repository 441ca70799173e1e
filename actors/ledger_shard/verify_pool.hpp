#pragma once
// verify_pool: the node's signature-checking threads, one per core, shared by every shard
// (DESIGN.md: parallel signature checks on all cores whatever K is). A shard hands it a batch
// and goes on serving the block producer. The threads take the batches in arrival order, a
// chunk at a time, and whichever thread finishes a batch's last chunk calls its `done`: no
// thread waits for another at the end of a batch, so while batches keep coming every core
// keeps checking.

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace synod::actors {

class verify_pool {
 public:
  explicit verify_pool(unsigned threads);
  /// Batches not yet started are dropped (their `done` is never called); those in progress
  /// finish their current chunk.
  ~verify_pool();
  verify_pool(const verify_pool&) = delete;
  verify_pool& operator=(const verify_pool&) = delete;

  /// Runs each(0) .. each(n - 1) on the pool's threads, then done() once, on the thread that
  /// ran the last item. `each` must be safe to call from several threads at once for
  /// different indexes. An item that throws counts as run (the exception goes no further), so
  /// done() still comes; `each` should leave a result that says so before it throws.
  /// n == 0 calls done() at once, on this thread.
  void run(std::size_t n, std::function<void(std::size_t)> each, std::function<void()> done);

  [[nodiscard]] unsigned threads() const noexcept { return static_cast<unsigned>(workers_.size()); }

 private:
  struct batch;
  void work();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<batch>> queue_;
  bool stopping_ = false;
  std::vector<std::jthread> workers_;
};

}  // namespace synod::actors
