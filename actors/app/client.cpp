#include "client.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

#include "commands.hpp"

namespace synod::app {
namespace {

std::string resolve_endpoint(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv(endpoint_env); env && *env) return env;
  return "tcp://127.0.0.1:7600";
}

std::optional<net::response_body> call(net::gateway_client& c, const client_flags& f,
                                       net::request_body body) {
  auto r = c.call(std::move(body), std::chrono::milliseconds(f.timeout_ms));
  if (!r) {
    report(r.error());
    return std::nullopt;
  }
  if (const auto* refused = std::get_if<net::error_info>(&*r)) {
    std::fprintf(stderr, "synod: %s: %s\n", refused->code.c_str(), refused->message.c_str());
    return std::nullopt;
  }
  return std::move(*r);
}

}  // namespace

void add_client_flags(CLI::App* sub, client_flags& f) {
  sub->add_option("--endpoint", f.endpoint,
                  "node gateway (default: $SYNOD_ENDPOINT, else tcp://127.0.0.1:7600)");
  sub->add_flag("--json", f.json, "print one JSON document on stdout");
  sub->add_option("--timeout-ms", f.timeout_ms, "how long to wait for the node (default 10000)");
}

std::optional<net::gateway_client> connect_or_report(const client_flags& f) {
  auto c = net::gateway_client::connect({resolve_endpoint(f.endpoint)});
  if (!c) {
    report(c.error());
    return std::nullopt;
  }
  return std::move(*c);
}

template <class T>
std::optional<T> ask(net::gateway_client& c, const client_flags& f, net::request_body body) {
  auto r = call(c, f, std::move(body));
  if (!r) return std::nullopt;
  if (auto* answer = std::get_if<T>(&*r)) return std::move(*answer);
  std::fprintf(stderr, "synod: the node answered with an unexpected message\n");
  return std::nullopt;
}

template std::optional<net::submitted> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::account_info> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::stake_info> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::head_view> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::block_info> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::tx_info> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::subnet_info> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::subnet_list> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::metagraph_page> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::plugin_swapped> ask(net::gateway_client&, const client_flags&, net::request_body);
template std::optional<net::plugin_list> ask(net::gateway_client&, const client_flags&, net::request_body);

}  // namespace synod::app
