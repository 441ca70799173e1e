#pragma once
/// Error codes of the net component (the ZeroMQ gateway: codec, client, server).

#include "synod/base/error.hpp"

namespace synod::net {

enum class errc {
  malformed = 1,   ///< a frame fails the FlatBuffers verifier or carries an unknown type
  too_large,       ///< a frame is over the size limit of whoever reads it
  timeout,         ///< no answer within the caller's timeout
  unavailable,     ///< an endpoint cannot be connected to or sent to
  bind_failed,     ///< the server cannot bind an endpoint (in use, bad address)
  handler_failed,  ///< the server's request handler threw; the message carries what()
  not_local,       ///< an operator request (swap_plugin, list_plugins) from another machine
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::net
