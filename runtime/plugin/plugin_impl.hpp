#pragma once
// Private to the plugin component: what a loaded plugin holds, and the reply guard.

#include <memory>
#include <string>
#include <vector>

#include "synod/plugin/plugin.hpp"
#include "synod/sdk/abi.h"

namespace boost::dll {
class shared_library;
}

namespace synod::plugin {

struct plugin::impl {
  // Declared first, so destroyed last: the instance (destroyed in ~impl) never outlives its code.
  std::unique_ptr<boost::dll::shared_library> library;
  synod_plugin* instance = nullptr;
  std::filesystem::path file;
  hash32 hash;
  sdk::manifest manifest;
  bool has_aggregate = false;
  ~impl();
};

namespace detail {

/// Releases a plugin's reply exactly once, whatever path the caller leaves by.
class reply_guard {
 public:
  explicit reply_guard(synod_reply& r) noexcept : r_(r) {}
  ~reply_guard();
  reply_guard(const reply_guard&) = delete;
  reply_guard& operator=(const reply_guard&) = delete;

 private:
  synod_reply& r_;
};

/// A plugin's message made safe to print (bounded, no control characters).
std::string reply_text(const synod_reply& r);

/// The reply's bytes at an 8-byte aligned address: in place when they are, else copied into
/// `storage`. The verifier checks alignment relative to the buffer's start only, so a reply
/// at an odd address would have its doubles and longs read misaligned.
byte_view aligned_reply(const synod_reply& r, std::vector<std::uint64_t>& storage);

enum class call_kind { challenge, answer, score, aggregate };

/// What a call with a raw request gave back: its status (as the plugin returned it) and a
/// copy of the reply, or of its message when the status is not SYNOD_OK.
struct raw_reply {
  int status = 0;
  bytes data;
};

/// Calls straight through the C table with any bytes; for the conformance suite, which must
/// see what a plugin does with buffers the host would never build.
raw_reply call_raw(const plugin::impl& p, call_kind call, byte_view request);

}  // namespace detail
}  // namespace synod::plugin
