#include "sockets.hpp"

#include <algorithm>
#include <array>

#include "synod/net/errc.hpp"

namespace synod::net::detail {

zmq::socket_t make_socket(zmq::context_t& ctx, zmq::socket_type type, int hwm) {
  zmq::socket_t s(ctx, type);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::sndhwm, hwm);
  s.set(zmq::sockopt::rcvhwm, hwm);
  return s;
}

status connect(zmq::socket_t& s, const std::string& endpoint, std::string_view role) {
  try {
    s.connect(endpoint);
    return ok();
  } catch (const zmq::error_t& e) {
    std::string msg = "cannot connect ";
    msg.append(role).append(" to '").append(endpoint).append("': ").append(e.what());
    return error(errc::unavailable, std::move(msg));
  }
}

result<std::string> bind(zmq::socket_t& s, const std::string& endpoint, std::string_view role) {
  try {
    s.bind(endpoint);
    return s.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    std::string msg = "cannot bind the ";
    msg.append(role).append(" endpoint '").append(endpoint).append("': ").append(e.what());
    return error(errc::bind_failed, std::move(msg));
  }
}

bool wait_readable(zmq::socket_t& s, std::chrono::milliseconds timeout) {
  std::array<zmq::pollitem_t, 1> items{{{s.handle(), 0, ZMQ_POLLIN, 0}}};
  try {
    zmq::poll(items.data(), items.size(), timeout);
  } catch (const zmq::error_t& e) {
    // A signal cut the wait short: report "nothing yet" and let the caller's deadline decide.
    if (e.num() == EINTR) return false;
    throw;
  }
  return (items[0].revents & ZMQ_POLLIN) != 0;
}

std::optional<received> try_recv(zmq::socket_t& s, std::size_t max_parts) {
  received out;
  zmq::message_t part;
  if (!s.recv(part, zmq::recv_flags::dontwait)) return std::nullopt;
  // The first frame was there, so the rest of the message is too (zmq delivers it whole).
  while (true) {
    bool more = part.more();
    if (out.parts.size() < max_parts) out.parts.push_back(std::move(part));
    else out.truncated = true;
    if (!more) return out;
    part = zmq::message_t();
    (void)s.recv(part, zmq::recv_flags::none);
  }
}

std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
  // Rounded up: a wait cut short by rounding would report a timeout before the deadline.
  auto left =
      std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

}  // namespace synod::net::detail
