#pragma once
// gateway: the node's front door for outside clients. A ZeroMQ ROUTER (runtime/net) serves
// requests on its own thread, since ZeroMQ sockets block; each request becomes a call on the
// node (submissions go to the owning shard actor, reads go to the store's snapshot), and every
// committed block is published as a block_event. CAF never sees a client's bytes: they pass
// the FlatBuffers verifier in runtime/net first.

#include <memory>

#include "actors/node/node.hpp"
#include "synod/net/server.hpp"

namespace synod::actors {

/// Answers one decoded request against `n`. Thread-safe.
net::response_body answer(node& n, const net::request_body& request);

/// The event published for a committed block: height, hash, transaction ids.
net::block_event block_event_of(const bytes& raw_block, const chain::chain_params& params);

/// Starts the gateway for `n`: binds the endpoints, serves requests, and sets the node's
/// block listener to publish each block. The node must outlive the returned server, and
/// the listener must be cleared (node::on_block(nullptr)) before the server goes. Errors: net::errc::bind_failed.
result<std::unique_ptr<net::gateway_server>> start_gateway(node& n, net::server_options opts);

}  // namespace synod::actors
