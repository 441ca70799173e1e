#pragma once
/// A node's plugins by slot name ("forecast", "subnet_3"): each slot a plugin::slot, so a
/// version is swapped in between calls without stopping anyone (slot.hpp). Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "synod/plugin/slot.hpp"

namespace synod::plugin {

struct installed {
  std::string old_version;    ///< empty when the slot is new
  std::uint64_t load_us = 0;  ///< reading, hashing, loading and checking the file
};

struct slot_view {
  std::string name;
  std::shared_ptr<const plugin> current;
  std::uint64_t swaps = 0;
};

class registry {
 public:
  /// `defaults` apply to every load (private copies' folder, options). `load_deadline` bounds
  /// a load, the plugin's factory and manifest call included (zero: no bound): a load past it
  /// is left to finish or hang on its own thread, dropped, and the install fails with
  /// deadline_exceeded, so a plugin that never returns cannot stall the caller.
  explicit registry(load_options defaults = {}, std::chrono::milliseconds load_deadline = {})
      : defaults_(std::move(defaults)), load_deadline_(load_deadline) {}

  /// Loads `file` and makes it the version of slot `name`, creating the slot if it is new.
  /// A file that fails to load (any plugin errc; hash_mismatch when it does not hash to
  /// `hash`) changes nothing: the slot keeps its version. A new version must carry the slot's
  /// plugin name (bad_manifest otherwise). Slot names: [a-z0-9_-]{1,64} (bad_request). A load
  /// past the deadline: deadline_exceeded.
  result<installed> install(const std::string& name, const std::filesystem::path& file,
                            std::optional<hash32> hash = std::nullopt);

  /// The version of slot `name` now, or nullptr.
  [[nodiscard]] std::shared_ptr<const plugin> current(const std::string& name) const;
  /// Every slot, by name.
  [[nodiscard]] std::vector<slot_view> list() const;

 private:
  result<std::shared_ptr<const plugin>> load_bounded(const std::filesystem::path& file,
                                                     const load_options& o) const;

  load_options defaults_;
  std::chrono::milliseconds load_deadline_;
  mutable std::mutex m_;  // guards the map; loads happen outside it
  std::map<std::string, std::unique_ptr<slot>> slots_;
};

}  // namespace synod::plugin
