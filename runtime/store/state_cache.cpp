#include "state_cache.hpp"

#include <mutex>

namespace synod::store::detail {
namespace {

std::string_view as_text(byte_view key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

}  // namespace

state_cache::state_cache(std::uint64_t head_height, std::size_t max_entries)
    : head_(head_height), max_(max_entries) {}

std::optional<std::optional<bytes>> state_cache::find(byte_view key, std::uint64_t height) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(as_text(key));
  if (it == entries_.end() || it->second.since > height) return std::nullopt;
  return it->second.value;
}

void state_cache::remember(byte_view key, std::uint64_t height, const std::optional<bytes>& value) {
  std::unique_lock lock(mu_);
  // Read at an older snapshot: a newer block may have written the key since.
  if (height != head_ || entries_.size() >= max_) return;
  entries_.try_emplace(std::string(as_text(key)), entry{value, height});
}

void state_cache::commit(const chain::state_diff& diff, std::uint64_t height) {
  std::unique_lock lock(mu_);
  head_ = height;
  if (entries_.size() + diff.size() > max_) entries_.clear();
  for (const auto& [key, value] : diff) entries_.insert_or_assign(std::string(as_text(key)), entry{value, height});
}

std::size_t state_cache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace synod::store::detail
