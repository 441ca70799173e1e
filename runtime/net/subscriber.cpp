#include "sockets.hpp"
#include "synod/net/client.hpp"
#include "synod/net/errc.hpp"

namespace synod::net {

struct block_subscriber::impl {
  explicit impl(subscriber_options o) : opts(std::move(o)) {}

  result<std::optional<block_event>> next(std::chrono::milliseconds timeout);

  subscriber_options opts;
  zmq::context_t ctx{1};  // declared before the socket, so it is closed after it
  zmq::socket_t sub = detail::make_socket(ctx, zmq::socket_type::sub, opts.hwm);
};

result<std::optional<block_event>> block_subscriber::impl::next(
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (detail::wait_readable(sub, detail::remaining(deadline))) {
    auto msg = detail::try_recv(sub, 1);
    if (!msg || msg->truncated) continue;  // not a one-frame block event
    auto event = decode_block_event(detail::view_of(msg->parts[0]), opts.max_frame);
    if (!event) return std::move(event).error().with_context("event from '" + opts.endpoint + "'");
    return std::optional<block_event>(std::move(*event));
  }
  return std::optional<block_event>();
}

result<block_subscriber> block_subscriber::connect(subscriber_options opts) {
  try {
    auto p = std::make_unique<impl>(std::move(opts));
    p->sub.set(zmq::sockopt::subscribe, "");  // every event; the node publishes only blocks
    SYNOD_TRY(detail::connect(p->sub, p->opts.endpoint, "block subscriber"));
    return block_subscriber(std::move(p));
  } catch (const zmq::error_t& e) {
    return error(errc::unavailable,
                 std::string("cannot create a block subscriber socket: ") + e.what());
  }
}

block_subscriber::block_subscriber(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
block_subscriber::block_subscriber(block_subscriber&&) noexcept = default;
block_subscriber& block_subscriber::operator=(block_subscriber&&) noexcept = default;
block_subscriber::~block_subscriber() = default;

result<std::optional<block_event>> block_subscriber::next(std::chrono::milliseconds timeout) {
  try {
    return impl_->next(timeout);
  } catch (const zmq::error_t& e) {
    return error(errc::unavailable,
                 "block subscriber for '" + impl_->opts.endpoint + "' failed: " + e.what());
  }
}

const std::string& block_subscriber::endpoint() const noexcept { return impl_->opts.endpoint; }

}  // namespace synod::net
