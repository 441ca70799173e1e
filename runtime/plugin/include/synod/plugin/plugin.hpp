#pragma once
/// A loaded subnet plugin: one `.so` built against sdk/, behind the C ABI of
/// sdk/include/synod/sdk/abi.h.
///
/// Loading reads the file once, hashes it (blake2b-256) and, when the caller expects a hash
/// (later: the subnet's on-chain pin), refuses a different file before any of its code runs.
/// It then writes a private copy and loads that (Boost.DLL, RTLD_NOW | RTLD_LOCAL), so a file
/// rebuilt at the same path is a new version and two versions live side by side. It checks the
/// ABI version, the call table and the manifest. Every reply passes the FlatBuffers verifier
/// and the plugin's own limits before anything reads it. A failure is an errc and a message;
/// nothing a plugin returns can crash the host (a plugin that crashes its own process, or
/// never returns, is beyond what an in-process host can contain).
///
/// Threading: every call may run from several threads at once. The library stays loaded as
/// long as any shared_ptr to its plugin lives.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"
#include "synod/sdk/plugin.hpp"

namespace synod::plugin {

struct expectations {
  std::optional<hash32> content_hash;  ///< the file must hash to this (blake2b-256)
  std::string name;                    ///< empty: any name
  std::string version;                 ///< empty: any version
};

/// Options as a command line gives them, "KEY=VALUE" each (later keys win). Errors:
/// bad_request naming the first entry that is not KEY=VALUE.
result<sdk::options> parse_options(const std::vector<std::string>& pairs);

struct load_options {
  /// Where private copies go; empty: a `synod-plugins` folder in the system's temp directory.
  /// Each copy is removed as soon as it is loaded.
  std::filesystem::path private_dir;
  sdk::options options;  ///< passed to the plugin's factory (its Config message)
  plugin::expectations expect;
};

class plugin {
 public:
  /// Errors: cannot_open, hash_mismatch, symbol_missing, creation_failed, abi_mismatch,
  /// bad_manifest.
  static result<std::shared_ptr<const plugin>> load(const std::filesystem::path& file,
                                                    const load_options& opts = {});
  ~plugin();
  plugin(const plugin&) = delete;
  plugin& operator=(const plugin&) = delete;

  [[nodiscard]] const sdk::manifest& manifest() const noexcept;
  /// "plugin NAME VERSION", how every message about this plugin names it.
  [[nodiscard]] std::string label() const { return label_of(manifest()); }
  static std::string label_of(const sdk::manifest& m) { return "plugin " + m.name + " " + m.version; }
  [[nodiscard]] bool has_aggregate() const noexcept;
  [[nodiscard]] const hash32& content_hash() const noexcept;
  [[nodiscard]] const std::filesystem::path& file() const noexcept;

  /// Each call: bad_request (refused, or the request is over the plugin's limit),
  /// call_failed, bad_reply, reply_too_large, deadline_exceeded; aggregate also unsupported.
  [[nodiscard]] result<sdk::challenge_data> challenge(std::uint64_t seed) const;
  [[nodiscard]] result<bytes> answer(byte_view task) const;
  /// In [0, 1]; anything else is bad_reply.
  [[nodiscard]] result<double> score(byte_view task, byte_view reference, byte_view answer) const;
  [[nodiscard]] result<bytes> aggregate(byte_view task,
                                        std::span<const sdk::weighted_answer> answers) const;

  struct impl;
  /// The component's own internals (the conformance suite calls with raw buffers).
  [[nodiscard]] const impl& internals() const noexcept { return *impl_; }

 private:
  explicit plugin(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace synod::plugin
