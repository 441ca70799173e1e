#include "synod/net/client.hpp"

#include "sockets.hpp"
#include "synod/net/errc.hpp"

namespace synod::net {

struct gateway_client::impl {
  explicit impl(client_options o) : opts(std::move(o)) {}

  status send(const request& r);
  result<response_body> await(std::uint64_t id, std::chrono::milliseconds timeout);

  client_options opts;
  zmq::context_t ctx{1};  // declared before the socket, so it is closed after it
  zmq::socket_t dealer = detail::make_socket(ctx, zmq::socket_type::dealer, opts.hwm);
  std::uint64_t next_id = 1;  // 0 is what the server answers when it cannot read a request
};

status gateway_client::impl::send(const request& r) {
  bytes frame = encode(r);
  if (dealer.send(zmq::buffer(frame), zmq::send_flags::dontwait)) return ok();
  return error(errc::unavailable, "cannot queue a request to '" + opts.endpoint + "': " +
                                      std::to_string(opts.hwm) + " messages already wait");
}

result<response_body> gateway_client::impl::await(std::uint64_t id,
                                                  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (detail::wait_readable(dealer, detail::remaining(deadline))) {
    auto msg = detail::try_recv(dealer, 1);
    if (!msg || msg->truncated) continue;  // not a one-frame gateway response
    auto r = decode_response(detail::view_of(msg->parts[0]), opts.max_frame);
    if (!r) return std::move(r).error().with_context("response from '" + opts.endpoint + "'");
    bool unreadable_request = r->id == 0 && std::holds_alternative<error_info>(r->body);
    if (r->id == id || unreadable_request) return std::move(r->body);
    // Otherwise a late answer to an earlier call that timed out: drop it.
  }
  return error(errc::timeout, "no response from '" + opts.endpoint + "' within " +
                                  std::to_string(timeout.count()) + " ms");
}

result<gateway_client> gateway_client::connect(client_options opts) {
  try {
    auto p = std::make_unique<impl>(std::move(opts));
    SYNOD_TRY(detail::connect(p->dealer, p->opts.endpoint, "gateway client"));
    return gateway_client(std::move(p));
  } catch (const zmq::error_t& e) {
    return error(errc::unavailable,
                 std::string("cannot create a gateway client socket: ") + e.what());
  }
}

gateway_client::gateway_client(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
gateway_client::gateway_client(gateway_client&&) noexcept = default;
gateway_client& gateway_client::operator=(gateway_client&&) noexcept = default;
gateway_client::~gateway_client() = default;

result<response_body> gateway_client::call(request_body body, std::chrono::milliseconds timeout) {
  std::uint64_t id = impl_->next_id++;
  try {
    SYNOD_TRY(impl_->send(request{id, std::move(body)}));
    return impl_->await(id, timeout);
  } catch (const zmq::error_t& e) {
    return error(errc::unavailable, "gateway client for '" + impl_->opts.endpoint +
                                        "' failed: " + e.what());
  }
}

const std::string& gateway_client::endpoint() const noexcept { return impl_->opts.endpoint; }

}  // namespace synod::net
