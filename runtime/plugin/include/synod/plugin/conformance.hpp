#pragma once
/// The plugin conformance suite: what every subnet plugin must do before a node will want it.
/// Authors run it on their own `.so` (`synod_add_plugin_test` in the SDK's CMake package, or
/// `synod plugin check FILE`): the manifest is valid, each call is deterministic for its
/// input, replies are the right messages within the plugin's limits and deadline, and bad or
/// random buffers are refused with SYNOD_BAD_REQUEST, never with a crash or a wrong message.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "synod/plugin/plugin.hpp"

namespace synod::plugin {

struct conformance_options {
  std::uint32_t seeds = 8;             ///< challenge seeds tried (each: challenge, answer, score)
  std::uint32_t garbage_inputs = 200;  ///< random buffers sent to each call
  std::uint64_t random_seed = 1;       ///< makes the random buffers reproducible
  load_options load;
};

struct conformance_check {
  std::string name;
  bool passed = false;
  std::string detail;  ///< what failed, or a short note of what was seen
};

struct conformance_report {
  std::vector<conformance_check> checks;
  [[nodiscard]] bool passed() const;
};

/// Never throws on a bad plugin: each failure is a failed check (a plugin that crashes its
/// process does take the suite down with it; that is the point of running it before shipping).
conformance_report check_conformance(const std::filesystem::path& file, const conformance_options& opts = {});

/// One line per check ("PASS loads: sum 1.0.0, ..."), then a verdict line.
std::string to_text(const conformance_report& r);

}  // namespace synod::plugin
