#pragma once
/// Forward declarations of the net component, for headers that only pass these around.

namespace synod::net {

enum class errc;
struct request;
struct response;
struct block_event;
struct error_info;
struct client_options;
struct subscriber_options;
struct server_options;
class gateway_client;
class block_subscriber;
class gateway_server;

}  // namespace synod::net
