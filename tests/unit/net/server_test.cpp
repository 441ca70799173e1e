#include "synod/net/server.hpp"

#include <zmq.hpp>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <future>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "net_fixture.hpp"
#include "synod/net/client.hpp"
#include "synod/net/errc.hpp"

namespace synod::net::testing {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

// Generous: only a broken server takes this long, so it never slows a passing run.
constexpr auto patience = 2000ms;

server_options loopback() {
  server_options o;
  o.rpc_endpoint = "tcp://127.0.0.1:0";
  o.pub_endpoint = "tcp://127.0.0.1:0";
  return o;
}

// Unwraps or throws, so helpers can fail a test (gtest reports the exception) and return.
template <class T>
T must(result<T> r) {
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(r).value();
}

std::unique_ptr<gateway_server> start_server(request_handler h = answer_each_kind) {
  return must(gateway_server::start(loopback(), std::move(h)));
}

gateway_client client_of(const gateway_server& s) {
  return must(gateway_client::connect({s.rpc_endpoint()}));
}

bool mentions(const synod::error& e, std::string_view text) {
  return e.message().find(text) != std::string::npos;
}

// A DEALER that speaks raw frames, for what gateway_client never sends.
struct raw_peer {
  explicit raw_peer(const std::string& endpoint) {
    sock.set(zmq::sockopt::linger, 0);
    sock.set(zmq::sockopt::rcvtimeo, static_cast<int>(patience.count()));
    sock.connect(endpoint);
  }
  void send(const std::vector<bytes>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i)
      (void)sock.send(zmq::buffer(frames[i]),
                      i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
  std::vector<bytes> recv() {
    std::vector<bytes> out;
    zmq::message_t m;
    do {
      if (!sock.recv(m)) throw std::runtime_error("no reply within the patience");
      out.emplace_back(m.data<std::uint8_t>(), m.data<std::uint8_t>() + m.size());
    } while (m.more());
    return out;
  }
  zmq::context_t ctx{1};
  zmq::socket_t sock{ctx, zmq::socket_type::dealer};
};

error_info error_reply(const bytes& frame) {
  auto r = must(decode_response(frame));
  EXPECT_EQ(r.id, 0u);
  auto* info = std::get_if<error_info>(&r.body);
  if (!info) throw std::runtime_error("reply is not an error_info");
  return *info;
}

TEST(GatewayServer, BindsEphemeralPortsOnLoopback) {
  auto server = start_server();
  for (const auto& ep : {server->rpc_endpoint(), server->pub_endpoint()}) {
    EXPECT_EQ(ep.rfind("tcp://127.0.0.1:", 0), 0u) << ep;
    EXPECT_NE(ep, "tcp://127.0.0.1:0");
  }
  EXPECT_NE(server->rpc_endpoint(), server->pub_endpoint());
}

TEST(GatewayServer, AnswersEachKind) {
  auto server = start_server();
  auto client = client_of(*server);
  for (const auto& body : sample_request_bodies()) {
    auto r = client.call(body, patience);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(*r, answer_each_kind(body)) << "request index " << body.index();
  }
}

TEST(GatewayServer, AnswersManyRequestsInSequence) {
  auto server = start_server();
  auto client = client_of(*server);
  auto bodies = sample_request_bodies();
  for (std::size_t i = 0; i < 300; ++i) {
    const auto& body = bodies[i % bodies.size()];
    auto r = client.call(body, patience);
    ASSERT_TRUE(r) << i << ": " << r.error().to_string();
    ASSERT_EQ(*r, answer_each_kind(body)) << i;
  }
}

TEST(GatewayServer, ServesTwoClientsConcurrently) {
  auto server = start_server();
  auto run = [&server](std::uint8_t tag) {
    auto client = client_of(*server);
    int right = 0;
    for (std::uint8_t i = 0; i < 100; ++i) {
      hash32 key = filled(tag);
      key.data[1] = i;  // each answer depends on the key, so a crossed reply shows
      auto r = client.call(get_account{key}, patience);
      if (r && *r == answer_each_kind(get_account{key})) ++right;
    }
    return right;
  };
  auto a = std::async(std::launch::async, run, std::uint8_t{1});
  auto b = std::async(std::launch::async, run, std::uint8_t{2});
  EXPECT_EQ(a.get(), 100);
  EXPECT_EQ(b.get(), 100);
}

TEST(GatewayServer, AnswersMalformedAndOversizeFramesAndKeepsServing) {
  auto server = start_server();
  raw_peer raw(server->rpc_endpoint());
  raw.send({bytes(50, 0xab)});
  auto junk = raw.recv();
  ASSERT_EQ(junk.size(), 1u);
  EXPECT_EQ(error_reply(junk[0]).code, "net.malformed");

  raw.send({bytes(default_max_request_frame + 1, 0)});
  auto big = raw.recv();
  ASSERT_EQ(big.size(), 1u);
  auto info = error_reply(big[0]);
  EXPECT_EQ(info.code, "net.too_large");
  EXPECT_NE(info.message.find("limit is 1048576"), std::string::npos) << info.message;

  auto client = client_of(*server);
  auto r = client.call(get_head{}, patience);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(*r, answer_each_kind(get_head{}));
}

TEST(GatewayServer, EchoesEnvelopeFramesAndRefusesTooMany) {
  // A REQ-style peer puts an empty delimiter before the request; it must come back.
  auto server = start_server();
  raw_peer raw(server->rpc_endpoint());
  raw.send({bytes{}, encode(request{77, get_head{}})});
  auto reply = raw.recv();
  ASSERT_EQ(reply.size(), 2u);
  EXPECT_TRUE(reply[0].empty());
  EXPECT_EQ(must(decode_response(reply[1])), (response{77, answer_each_kind(get_head{})}));

  raw.send({bytes{}, bytes{}, bytes{}, bytes{}, encode(request{78, get_head{}})});
  auto refused = raw.recv();
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(error_reply(refused[0]).code, "net.malformed");
}

TEST(GatewayServer, TurnsAHandlerExceptionIntoErrorInfo) {
  auto server = start_server([](const request_body& body) -> response_body {
    if (std::holds_alternative<get_head>(body)) throw std::runtime_error("disk on fire");
    return answer_each_kind(body);
  });
  auto client = client_of(*server);
  auto r = client.call(get_head{}, patience);
  ASSERT_TRUE(r) << r.error().to_string();
  const auto* info = std::get_if<error_info>(&*r);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->code, "net.handler_failed");
  EXPECT_NE(info->message.find("disk on fire"), std::string::npos) << info->message;
  auto next = client.call(get_tx{filled(4)}, patience);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, answer_each_kind(get_tx{filled(4)}));
}

TEST(GatewayServer, ReportsABindFailureNamingTheEndpoint) {
  auto first = start_server();
  auto taken = loopback();
  taken.rpc_endpoint = first->rpc_endpoint();
  auto second = gateway_server::start(taken, answer_each_kind);
  ASSERT_FALSE(second);
  EXPECT_TRUE(second.error().is(errc::bind_failed));
  EXPECT_TRUE(mentions(second.error(), first->rpc_endpoint())) << second.error().to_string();

  auto nonsense = loopback();
  nonsense.pub_endpoint = "not-an-endpoint";
  auto third = gateway_server::start(nonsense, answer_each_kind);
  ASSERT_FALSE(third);
  EXPECT_TRUE(third.error().is(errc::bind_failed));
  EXPECT_TRUE(mentions(third.error(), "not-an-endpoint")) << third.error().to_string();
}

TEST(GatewayServer, StopIsIdempotent) {
  auto server = start_server();
  server->stop();
  server->stop();
  server->publish(sample_event(1));  // still harmless after stop
}

TEST(GatewayClient, TimesOutWithinItsTimeoutWhenTheServerIsStopped) {
  auto server = start_server();
  server->stop();  // still bound, so the port cannot be reused by anyone else meanwhile
  auto client = client_of(*server);
  auto t0 = clock::now();
  auto r = client.call(get_head{}, 100ms);
  auto took = clock::now() - t0;
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::timeout)) << r.error().to_string();
  EXPECT_TRUE(mentions(r.error(), server->rpc_endpoint())) << r.error().to_string();
  EXPECT_TRUE(mentions(r.error(), "100 ms")) << r.error().to_string();
  EXPECT_GE(took, 100ms);
  EXPECT_LT(took, 600ms);
}

TEST(GatewayClient, DiscardsTheLateAnswerToACallThatTimedOut) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto server = start_server([released](const request_body& body) {
    if (std::holds_alternative<get_head>(body)) released.wait();
    return answer_each_kind(body);
  });
  auto client = client_of(*server);
  auto first = client.call(get_head{}, 20ms);
  release.set_value();  // before any assertion, so the server can always stop
  ASSERT_FALSE(first);
  EXPECT_TRUE(first.error().is(errc::timeout));
  get_account query{filled(7)};
  auto second = client.call(query, patience);
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(*second, answer_each_kind(query));
}

TEST(GatewayClient, RefusesAnEndpointZeroMqCannotParse) {
  auto c = gateway_client::connect({"no-such-transport://x"});
  ASSERT_FALSE(c);
  EXPECT_TRUE(c.error().is(errc::unavailable));
  EXPECT_TRUE(mentions(c.error(), "no-such-transport://x")) << c.error().to_string();
  EXPECT_TRUE(block_subscriber::connect({"no-such-transport://x"}).error().is(errc::unavailable));
}

// Publishes height-1 probes until one arrives: events sent before the subscription reaches the
// PUB are lost (ZeroMQ's slow joiner). Bounded, and each wait is short.
void join(gateway_server& server, block_subscriber& sub) {
  for (int i = 0; i < 200; ++i) {
    server.publish(sample_event(1));
    auto got = must(sub.next(10ms));
    if (got) return;
  }
  throw std::runtime_error("subscriber saw no event in 200 tries");
}

// The next event that is not a late join probe.
block_event next_real(block_subscriber& sub) {
  while (true) {
    auto got = must(sub.next(patience));
    if (!got) throw std::runtime_error("no event within the patience");
    if (got->height != 1) return *got;
  }
}

TEST(GatewayPubSub, SubscriberSeesPublishedBlocksInOrder) {
  auto server = start_server();
  auto sub = must(block_subscriber::connect({server->pub_endpoint()}));
  join(*server, sub);
  for (std::uint64_t h = 2; h <= 4; ++h) server->publish(sample_event(h));
  for (std::uint64_t h = 2; h <= 4; ++h) EXPECT_EQ(next_real(sub), sample_event(h));
  auto quiet = sub.next(0ms);
  ASSERT_TRUE(quiet);
}

TEST(GatewayPubSub, PublishIsThreadSafe) {
  auto server = start_server();
  auto sub = must(block_subscriber::connect({server->pub_endpoint()}));
  join(*server, sub);
  auto publish_many = [&server](std::uint64_t first) {
    for (std::uint64_t h = first; h < first + 100; ++h) server->publish(sample_event(h));
  };
  std::thread a(publish_many, 1000);
  std::thread b(publish_many, 2000);
  a.join();
  b.join();
  std::set<std::uint64_t> heights;
  while (heights.size() < 200) heights.insert(next_real(sub).height);
  EXPECT_EQ(*heights.begin(), 1000u);
  EXPECT_EQ(*heights.rbegin(), 2099u);
}

// This machine's first IPv4 address that is not loopback, or "" when it has none.
std::string outside_address() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return "";
  std::string out;
  for (auto* a = list; a != nullptr && out.empty(); a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
    if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) && std::string(text).rfind("127.", 0) != 0) out = text;
  }
  ::freeifaddrs(list);
  return out;
}

TEST(GatewayServer, AnswersPluginRequestsOnlyToClientsOnItsOwnMachine) {
  server_options o = loopback();
  o.rpc_endpoint = "tcp://0.0.0.0:0";
  auto server = must(gateway_server::start(o, answer_each_kind));
  const std::string port = server->rpc_endpoint().substr(server->rpc_endpoint().rfind(':'));
  const request_body swap = swap_plugin{"sum", "/p/sum.so", std::nullopt, ""};

  auto local = must(gateway_client::connect({"tcp://127.0.0.1" + port}));
  EXPECT_EQ(must(local.call(swap, patience)), answer_each_kind(swap));
  EXPECT_EQ(must(local.call(list_plugins{}, patience)), answer_each_kind(list_plugins{}));

  const std::string ip = outside_address();
  if (ip.empty()) GTEST_SKIP() << "no network address but loopback here: the refusal cannot be seen";
  auto remote = must(gateway_client::connect({"tcp://" + ip + port}));
  auto refused = must(remote.call(swap, patience));
  const auto* e = std::get_if<error_info>(&refused);
  ASSERT_TRUE(e) << "a plugin swap from " << ip << " was answered";
  EXPECT_EQ(e->code, "net.not_local");
  EXPECT_NE(e->message.find("this one came from " + ip), std::string::npos) << e->message;
  auto listed = must(remote.call(list_plugins{}, patience));
  EXPECT_TRUE(std::holds_alternative<error_info>(listed));
  // Everything else is answered to anyone.
  EXPECT_EQ(must(remote.call(get_head{}, patience)), answer_each_kind(get_head{}));
}

}  // namespace
}  // namespace synod::net::testing
