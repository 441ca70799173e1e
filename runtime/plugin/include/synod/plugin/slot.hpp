#pragma once
/// A slot holds the version of a plugin that new calls use, and swaps it without stopping
/// anyone: a caller takes the current version (a shared_ptr) for the length of its work, so
/// calls in flight finish on the version they started with, and a replaced version unloads
/// when its last user lets go. The slow part of a swap (reading, hashing, loading, checking
/// the new file) happens before it, in plugin::load; the swap itself is one atomic store.

#include <atomic>
#include <cstdint>
#include <memory>

#include "synod/plugin/plugin.hpp"

namespace synod::plugin {

class slot {
 public:
  explicit slot(std::shared_ptr<const plugin> first) : current_(std::move(first)) {}

  /// The version to use now; hold it for every call of one piece of work.
  [[nodiscard]] std::shared_ptr<const plugin> current() const {
    return current_.load(std::memory_order_acquire);
  }

  /// Makes `next` current and returns the version it replaced.
  std::shared_ptr<const plugin> swap(std::shared_ptr<const plugin> next) {
    auto old = current_.exchange(std::move(next), std::memory_order_acq_rel);
    swaps_.fetch_add(1, std::memory_order_relaxed);
    return old;
  }

  /// Swaps done so far.
  [[nodiscard]] std::uint64_t swaps() const noexcept { return swaps_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::shared_ptr<const plugin>> current_;
  std::atomic<std::uint64_t> swaps_{0};
};

}  // namespace synod::plugin
