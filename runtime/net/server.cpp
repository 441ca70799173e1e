#include "synod/net/server.hpp"

#include <array>
#include <limits>
#include <mutex>
#include <thread>

#include "sockets.hpp"
#include "synod/net/errc.hpp"

namespace synod::net {
namespace {

// The peer's routing id, up to two envelope frames (a REQ peer adds an empty delimiter, a
// proxy may add its own), then the request.
constexpr std::size_t max_request_parts = 4;
// Requests read per wake-up, so a busy ROUTER cannot keep stop() waiting.
constexpr int batch = 64;
// inproc names live per context, and each server owns its context: the name never clashes.
constexpr char wake_endpoint[] = "inproc://synod-net-gateway-wake";

std::int64_t zmq_frame_cap(std::size_t max_frame) {
  constexpr auto most = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max() / 2);
  return max_frame > most ? -1 : static_cast<std::int64_t>(2 * max_frame);
}

}  // namespace

struct gateway_server::impl {
  impl(server_options o, request_handler h) : opts(std::move(o)), handler(std::move(h)) {}

  status bind_all();
  void run();
  void serve_ready();
  void answer(detail::received& msg);
  response respond(const zmq::message_t& frame);
  response_body call_handler(const request_body& body);

  server_options opts;
  request_handler handler;
  zmq::context_t ctx{1};  // declared before the sockets, so it is closed after them
  zmq::socket_t router = detail::make_socket(ctx, zmq::socket_type::router, opts.rcv_hwm);
  zmq::socket_t pub = detail::make_socket(ctx, zmq::socket_type::pub, opts.pub_hwm);
  // stop() wakes the serving thread through this pair; only the thread reads wake_rx.
  zmq::socket_t wake_rx = detail::make_socket(ctx, zmq::socket_type::pair, 1);
  zmq::socket_t wake_tx = detail::make_socket(ctx, zmq::socket_type::pair, 1);
  std::string rpc_bound;
  std::string pub_bound;
  std::mutex pub_mutex;   // the PUB socket is used by any thread that publishes
  std::mutex stop_mutex;  // guards wake_tx and the join
  std::thread loop;
};

status gateway_server::impl::bind_all() {
  router.set(zmq::sockopt::maxmsgsize, zmq_frame_cap(opts.max_frame));
  auto rpc = detail::bind(router, opts.rpc_endpoint, "gateway rpc");
  if (!rpc) return std::move(rpc).error();
  rpc_bound = std::move(*rpc);
  auto published = detail::bind(pub, opts.pub_endpoint, "gateway pub");
  if (!published) return std::move(published).error();
  pub_bound = std::move(*published);
  wake_rx.bind(wake_endpoint);
  wake_tx.connect(wake_endpoint);
  return ok();
}

void gateway_server::impl::run() {
  std::array<zmq::pollitem_t, 2> items{{{router.handle(), 0, ZMQ_POLLIN, 0},
                                        {wake_rx.handle(), 0, ZMQ_POLLIN, 0}}};
  while (true) {
    try {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(-1));
      if (items[1].revents & ZMQ_POLLIN) return;
      if (items[0].revents & ZMQ_POLLIN) serve_ready();
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) return;
    } catch (const std::exception&) {
      // Out of memory encoding one answer loses that answer, not the server.
    }
  }
}

void gateway_server::impl::serve_ready() {
  for (int i = 0; i < batch; ++i) {
    auto msg = detail::try_recv(router, max_request_parts);
    if (!msg) return;
    answer(*msg);
  }
}

void gateway_server::impl::answer(detail::received& msg) {
  response reply;
  if (msg.truncated) {
    reply = {0, to_error_info(error(errc::malformed, "request message has more than " +
                                                         std::to_string(max_request_parts) +
                                                         " frames"))};
    msg.parts.resize(1);  // back to the peer, without the envelope we could not read whole
  } else {
    reply = respond(msg.parts.back());
    msg.parts.pop_back();
  }
  // ROUTER never blocks: an answer to a peer that is gone or full is dropped.
  for (auto& part : msg.parts)
    (void)router.send(part, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  bytes payload = encode(reply);
  (void)router.send(zmq::buffer(payload), zmq::send_flags::dontwait);
}

namespace {

// The peer's address as ZeroMQ saw it: an IP for TCP, none for ipc and inproc (same machine).
std::string peer_address(const zmq::message_t& frame) {
  try {
    // cppzmq's gets() is not const, though zmq_msg_gets only reads the message.
    const char* a = const_cast<zmq::message_t&>(frame).gets("Peer-Address");
    return a ? a : "";
  } catch (const zmq::error_t&) {
    return "";  // the transport has no peer address
  }
}

bool is_local_peer(const std::string& address) {
  return address.empty() || address.starts_with("127.") || address == "::1" ||
         address.starts_with("::ffff:127.");
}

}  // namespace

response gateway_server::impl::respond(const zmq::message_t& frame) {
  auto req = decode_request(detail::view_of(frame), opts.max_frame);
  if (!req) return {0, to_error_info(req.error())};
  const bool operator_request = std::holds_alternative<swap_plugin>(req->body) ||
                                std::holds_alternative<list_plugins>(req->body);
  if (operator_request) {
    const std::string peer = peer_address(frame);
    if (!is_local_peer(peer))
      return {req->id, to_error_info(error(errc::not_local,
                                           "plugin requests are answered only to clients on the node's own "
                                           "machine (loopback or ipc); this one came from " + peer))};
  }
  return {req->id, call_handler(req->body)};
}

response_body gateway_server::impl::call_handler(const request_body& body) {
  try {
    return handler(body);
  } catch (const std::exception& e) {
    return to_error_info(
        error(errc::handler_failed, std::string("request handler threw: ") + e.what()));
  } catch (...) {
    return to_error_info(error(errc::handler_failed, "request handler threw a non-exception"));
  }
}

result<std::unique_ptr<gateway_server>> gateway_server::start(server_options opts,
                                                              request_handler handler) {
  std::unique_ptr<impl> p;
  try {
    p = std::make_unique<impl>(std::move(opts), std::move(handler));
    SYNOD_TRY(p->bind_all());
  } catch (const zmq::error_t& e) {
    return error(errc::bind_failed, std::string("cannot set up the gateway sockets: ") + e.what());
  }
  p->loop = std::thread([raw = p.get()] { raw->run(); });
  return std::unique_ptr<gateway_server>(new gateway_server(std::move(p)));
}

gateway_server::gateway_server(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}

gateway_server::~gateway_server() { stop(); }

const std::string& gateway_server::rpc_endpoint() const noexcept { return impl_->rpc_bound; }
const std::string& gateway_server::pub_endpoint() const noexcept { return impl_->pub_bound; }

void gateway_server::publish(const block_event& e) {
  bytes frame = encode(e);
  std::lock_guard lock(impl_->pub_mutex);
  // PUB never blocks: at a subscriber's high-water mark ZeroMQ drops the event for it alone.
  (void)impl_->pub.send(zmq::buffer(frame), zmq::send_flags::dontwait);
}

void gateway_server::stop() {
  std::lock_guard lock(impl_->stop_mutex);
  if (!impl_->loop.joinable()) return;
  impl_->wake_tx.send(zmq::message_t(), zmq::send_flags::none);
  impl_->loop.join();
}

}  // namespace synod::net
