#pragma once
/// Private ZeroMQ helpers shared by the client, the subscriber and the server.

#include <zmq.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"

namespace synod::net::detail {

/// A socket with linger 0, so closing it never waits for unsent messages (a stopped client or
/// server must not hang its process), and both high-water marks set to `hwm` messages.
zmq::socket_t make_socket(zmq::context_t& ctx, zmq::socket_type type, int hwm);

/// Connects `s` to `endpoint`. Errors: errc::unavailable naming the endpoint and why
/// (zmq connects in the background, so only an endpoint it cannot parse fails here).
status connect(zmq::socket_t& s, const std::string& endpoint, std::string_view role);

/// Binds `s` and returns the endpoint actually bound (the port chosen for a port-0 request).
/// Errors: errc::bind_failed naming the role, the endpoint and why.
result<std::string> bind(zmq::socket_t& s, const std::string& endpoint, std::string_view role);

/// True when `s` has a message to read within `timeout` (0 polls without waiting).
bool wait_readable(zmq::socket_t& s, std::chrono::milliseconds timeout);

/// One whole message, read without blocking.
struct received {
  std::vector<zmq::message_t> parts;
  bool truncated = false;  ///< the message had more than the kept number of frames
};

/// The next queued message, or nullopt when none is. Frames past `max_parts` are read and
/// dropped, because zmq delivers a message whole and the rest must be drained before the next.
std::optional<received> try_recv(zmq::socket_t& s, std::size_t max_parts);

inline byte_view view_of(const zmq::message_t& m) noexcept {
  return {static_cast<const std::uint8_t*>(m.data()), m.size()};
}

/// Time left until `deadline`, never negative.
std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline);

}  // namespace synod::net::detail
