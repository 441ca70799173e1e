#pragma once
/// The node side of the gateway: a ROUTER answering requests on its own thread, and a PUB
/// announcing committed blocks.

#include <functional>
#include <memory>
#include <string>

#include "synod/net/codec.hpp"

namespace synod::net {

struct server_options {
  /// ROUTER bind for requests. Port 0 ("tcp://127.0.0.1:0") picks a free port; read it back
  /// with gateway_server::rpc_endpoint().
  std::string rpc_endpoint = "tcp://127.0.0.1:7600";
  std::string pub_endpoint = "tcp://127.0.0.1:7601";   ///< PUB bind for block events
  /// Largest request answered. Frames up to twice this get an errc::too_large answer; past
  /// that ZeroMQ drops the peer, so one peer never makes the server buffer more.
  std::size_t max_frame = default_max_request_frame;
  /// Requests queued per peer before ZeroMQ stops reading from it (and replies queued per
  /// peer before ZeroMQ drops them).
  int rcv_hwm = 1000;
  /// Events queued per subscriber; past it a slow subscriber loses new events, never the node.
  int pub_hwm = 1000;
};

/// Operator requests (swap_plugin, list_plugins) name files on the node's machine, so the
/// server answers them only to peers on it (loopback TCP, ipc, inproc); anyone else gets
/// errc::not_local without the handler seeing the request.
///
/// Answers one request. Runs on the server's thread only, one request at a time; it must
/// return (stop() waits for it). An exception it throws becomes an error_info answer
/// "net.handler_failed"; refusals should be returned as error_info (see to_error_info).
using request_handler = std::function<response_body(const request_body&)>;

/// Owns a ZeroMQ context, the two bound sockets and the thread that serves the ROUTER.
class gateway_server {
 public:
  /// Binds both endpoints and starts serving. Errors: errc::bind_failed naming the endpoint
  /// (in use, or an address ZeroMQ cannot bind).
  static result<std::unique_ptr<gateway_server>> start(server_options opts,
                                                       request_handler handler);

  gateway_server(const gateway_server&) = delete;
  gateway_server& operator=(const gateway_server&) = delete;
  /// stop(), then closes the sockets.
  ~gateway_server();

  /// The endpoints actually bound ("tcp://127.0.0.1:41877" for a port-0 request).
  [[nodiscard]] const std::string& rpc_endpoint() const noexcept;
  [[nodiscard]] const std::string& pub_endpoint() const noexcept;

  /// Sends `e` to every subscriber. Thread-safe (callers are serialized on the PUB socket);
  /// never blocks on a slow subscriber. Still valid after stop().
  void publish(const block_event& e);

  /// Stops answering and joins the serving thread. Idempotent; thread-safe; must not be
  /// called from the handler.
  void stop();

 private:
  struct impl;
  explicit gateway_server(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace synod::net
