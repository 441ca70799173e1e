#pragma once
/// Clients of a node's gateway: requests over a DEALER socket, block events over a SUB socket.
///
/// Each object owns its ZeroMQ context and socket. ZeroMQ sockets are single-threaded, so
/// each object is used by one thread at a time (moving it to another thread is fine).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "synod/net/codec.hpp"

namespace synod::net {

struct client_options {
  std::string endpoint = "tcp://127.0.0.1:7600";     ///< the node's rpc (ROUTER) endpoint
  std::size_t max_frame = default_max_reply_frame;   ///< largest response accepted
  int hwm = 1000;                                    ///< send and receive queue, in messages
};

/// Sends requests to a node and waits for their responses, one call at a time.
class gateway_client {
 public:
  /// Creates the socket and starts connecting. ZeroMQ connects and reconnects in the
  /// background, so a node that is down shows up later as errc::timeout from call().
  /// Errors: errc::unavailable (an endpoint ZeroMQ cannot parse).
  static result<gateway_client> connect(client_options opts);

  gateway_client(gateway_client&&) noexcept;
  gateway_client& operator=(gateway_client&&) noexcept;
  ~gateway_client();

  /// Sends `body` under a fresh id and waits up to `timeout` for the response carrying that
  /// id; late responses to earlier calls are discarded. The node's refusals come back as an
  /// error_info body, not as an error; that includes a request it could not read at all
  /// (answered with id 0, accepted here because only one call is in flight).
  /// Errors: errc::timeout (names the endpoint and the timeout), errc::unavailable (the
  /// request cannot be queued), errc::too_large or errc::malformed (the response frame).
  result<response_body> call(request_body body, std::chrono::milliseconds timeout);

  [[nodiscard]] const std::string& endpoint() const noexcept;

 private:
  struct impl;
  explicit gateway_client(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

struct subscriber_options {
  std::string endpoint = "tcp://127.0.0.1:7601";     ///< the node's pub endpoint
  std::size_t max_frame = default_max_reply_frame;   ///< largest event accepted
  int hwm = 1000;  ///< events queued here; past it ZeroMQ drops new ones for this subscriber
};

/// Receives every block event the node publishes after the subscription reaches it. Events
/// published before that are never seen (ZeroMQ's "slow joiner"): a caller that must not miss
/// a block reads the head with gateway_client after subscribing.
class block_subscriber {
 public:
  /// Subscribes to all events. Errors: errc::unavailable (an endpoint ZeroMQ cannot parse).
  static result<block_subscriber> connect(subscriber_options opts);

  block_subscriber(block_subscriber&&) noexcept;
  block_subscriber& operator=(block_subscriber&&) noexcept;
  ~block_subscriber();

  /// The next event, or nullopt when none arrives within `timeout`.
  /// Errors: errc::too_large, errc::malformed (that frame; the subscriber stays usable),
  /// errc::unavailable (ZeroMQ itself failed).
  result<std::optional<block_event>> next(std::chrono::milliseconds timeout);

  [[nodiscard]] const std::string& endpoint() const noexcept;

 private:
  struct impl;
  explicit block_subscriber(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace synod::net
