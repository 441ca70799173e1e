#pragma once
// Runs a node with its gateway in the foreground until SIGINT/SIGTERM (or a block count),
// printing each committed block: a live table on a terminal, one line per block otherwise.
// Shared by `synod node` and `synod localnet`.

#include <functional>
#include <optional>

#include "actors/node/node.hpp"
#include "actors/peer/follower.hpp"
#include "synod/net/server.hpp"

namespace synod::app {

struct serve_options {
  actors::node_options node;
  net::server_options gateway;
  bool live = true;                         ///< print blocks as they commit
  std::optional<std::uint64_t> stop_after;  ///< stop once this many blocks were made
  std::optional<actors::follower_options> follow;  ///< follow another node's chain
  /// Printed once the node is up (endpoints are known then).
  std::function<void(actors::node&, const net::gateway_server&)> banner;
};

/// Blocks SIGINT and SIGTERM in this thread (and so in every thread started later); call it
/// first thing, so the signals are only ever taken by serve().
void block_stop_signals();

/// Returns the process exit code.
int serve(serve_options opts);

}  // namespace synod::app
