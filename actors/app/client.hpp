#pragma once
// What `synod tx` and `synod query` share: finding the node, calling it, and telling a
// transport failure from the node's own refusal.

#include <optional>
#include <string>

#include "synod/net/client.hpp"

namespace CLI {
class App;
}

namespace synod::app {

inline constexpr const char* endpoint_env = "SYNOD_ENDPOINT";

struct client_flags {
  std::string endpoint;  ///< --endpoint, else $SYNOD_ENDPOINT, else tcp://127.0.0.1:7600
  bool json = false;
  unsigned timeout_ms = 10'000;
};

/// Adds --endpoint, --json and --timeout-ms to a subcommand.
void add_client_flags(CLI::App* sub, client_flags& f);

/// A connected client, or prints why not and returns nullopt.
std::optional<net::gateway_client> connect_or_report(const client_flags& f);

/// Calls the node and unwraps the expected answer. A transport error or a refusal
/// (error_info: "synod: chain.nonce_too_low: ...") is printed, and nullopt returned.
template <class T>
std::optional<T> ask(net::gateway_client& c, const client_flags& f, net::request_body body);

}  // namespace synod::app
