#pragma once
/// Error codes of the plugin host. Loading failures name what failed (DESIGN.md, STYLE.md);
/// call failures name the call and what the plugin did wrong. None of them stops the host.

#include "synod/base/error.hpp"

namespace synod::plugin {

enum class errc {
  cannot_open = 1,    ///< the file is missing or unreadable, or dlopen refused it
  symbol_missing,     ///< no synod_plugin_create in the shared object
  abi_mismatch,       ///< the plugin struct is of another ABI version or lacks a call
  hash_mismatch,      ///< the file's blake2b is not the one expected (nothing of it ran)
  creation_failed,    ///< the factory returned no plugin (names its reason)
  bad_manifest,       ///< the manifest is malformed, invalid, or not the expected name/version
  bad_request,        ///< the plugin refused the request, or it is over the plugin's limit
  call_failed,        ///< the plugin could not do the work (names its reason)
  unsupported,        ///< an optional call the plugin does not have
  bad_reply,          ///< the reply is not the message it must be, or holds a bad value
  reply_too_large,    ///< the reply is over the plugin's own limit
  deadline_exceeded,  ///< the call took longer than the plugin's deadline; its reply is dropped
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::plugin
