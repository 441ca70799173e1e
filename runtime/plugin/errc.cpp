#include "synod/plugin/errc.hpp"

namespace synod::plugin {
namespace {

std::string_view plugin_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::cannot_open: return "cannot_open";
    case errc::symbol_missing: return "symbol_missing";
    case errc::abi_mismatch: return "abi_mismatch";
    case errc::hash_mismatch: return "hash_mismatch";
    case errc::creation_failed: return "creation_failed";
    case errc::bad_manifest: return "bad_manifest";
    case errc::bad_request: return "bad_request";
    case errc::call_failed: return "call_failed";
    case errc::unsupported: return "unsupported";
    case errc::bad_reply: return "bad_reply";
    case errc::reply_too_large: return "reply_too_large";
    case errc::deadline_exceeded: return "deadline_exceeded";
  }
  return "unknown";
}

constexpr error_domain plugin_domain{"plugin", &plugin_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return plugin_domain; }

}  // namespace synod::plugin
