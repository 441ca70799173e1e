#pragma once
/// The gateway protocol (schemas/gateway.fbs) as plain C++ values, and their wire form.
///
/// One request, response or block event travels as one ZeroMQ frame holding one FlatBuffers
/// buffer. Decoders take untrusted bytes: they check the size limit, run the verifier once and
/// only then read, so code past them never sees an unchecked buffer. Encoding cannot fail.
/// Every function here is pure and thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "synod/base/amount.hpp"
#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"
#include "synod/crypto/keys.hpp"

namespace synod::net {

using crypto::public_key;

/// What a node accepts in one request frame. Requests are small (the largest is a transaction
/// envelope), so 1 MiB leaves ample room while bounding what one peer can make it buffer.
inline constexpr std::size_t default_max_request_frame = std::size_t{1} << 20;
/// What a client accepts in one response or event frame. A block_info carries a whole block,
/// and the chain's largest block (20,000 transactions of 4 KiB) is about 80 MiB.
inline constexpr std::size_t default_max_reply_frame = std::size_t{128} << 20;
/// What the node puts in one metagraph page, estimated before encoding. A dense weights matrix
/// of 65,536 uids is 16 GiB, so big subnets come in pages; 8 MiB keeps each page well under
/// the reply limit and one page's encoding short.
inline constexpr std::size_t max_metagraph_page_bytes = std::size_t{8} << 20;

// ---- requests ----

struct submit_tx {
  bytes envelope;  ///< a Transaction buffer, checked by the node, not here
  friend bool operator==(const submit_tx&, const submit_tx&) = default;
};

struct get_account {
  public_key key;
  friend bool operator==(const get_account&, const get_account&) = default;
};

struct get_stake {
  public_key hotkey;
  public_key coldkey;
  friend bool operator==(const get_stake&, const get_stake&) = default;
};

struct get_head {
  friend bool operator==(const get_head&, const get_head&) = default;
};

/// By hash when `hash` is set, else by height; each is sent only when set.
struct get_block {
  std::optional<std::uint64_t> height;
  std::optional<hash32> hash;
  friend bool operator==(const get_block&, const get_block&) = default;
};

struct get_tx {
  hash32 id;
  friend bool operator==(const get_tx&, const get_tx&) = default;
};

struct get_subnet {
  std::uint16_t netuid = 0;
  friend bool operator==(const get_subnet&, const get_subnet&) = default;
};

struct get_subnets {
  friend bool operator==(const get_subnets&, const get_subnets&) = default;
};

/// One page of a subnet's metagraph: neurons from `first_uid` on, as many as fit in
/// max_metagraph_page_bytes and at most `max_neurons` (0: no limit of its own).
struct get_metagraph {
  std::uint16_t netuid = 0;
  std::uint32_t first_uid = 0;
  std::uint32_t max_neurons = 0;
  bool weights = false;  ///< include each neuron's weights row
  bool bonds = false;    ///< include each neuron's bonds row
  friend bool operator==(const get_metagraph&, const get_metagraph&) = default;
};

/// Operator request (answered to local clients only): load `path` as the new version of plugin
/// slot `name`, refusing a file that does not hash to `hash` when it is set.
struct swap_plugin {
  std::string name;
  std::string path;
  std::optional<hash32> hash;
  std::string cookie;  ///< the node's operator cookie (hex, from <data_dir>/operator.cookie)
  friend bool operator==(const swap_plugin&, const swap_plugin&) = default;
};

/// Operator request (local clients only): the plugins loaded on the node.
struct list_plugins {
  std::string cookie;  ///< as in swap_plugin
  friend bool operator==(const list_plugins&, const list_plugins&) = default;
};

using request_body = std::variant<submit_tx, get_account, get_stake, get_head, get_block, get_tx,
                                  get_subnet, get_subnets, get_metagraph, swap_plugin, list_plugins>;

struct request {
  std::uint64_t id = 0;  ///< echoed in the response; 0 is never used by gateway_client
  request_body body;
  friend bool operator==(const request&, const request&) = default;
};

// ---- responses ----

/// The request failed. `code` is "<domain>.<code_name>" ("chain.nonce_too_low").
struct error_info {
  std::string code;
  std::string message;
  friend bool operator==(const error_info&, const error_info&) = default;
};

struct submitted {
  hash32 tx_id;
  friend bool operator==(const submitted&, const submitted&) = default;
};

struct account_info {
  rao balance = 0;
  std::uint64_t nonce = 0;
  std::optional<public_key> owner;  ///< set when the key is a registered hotkey
  friend bool operator==(const account_info&, const account_info&) = default;
};

struct stake_info {
  rao amount = 0;
  friend bool operator==(const stake_info&, const stake_info&) = default;
};

struct head_view {
  std::uint64_t height = 0;
  hash32 hash;
  std::uint64_t slot = 0;
  std::uint64_t finalized = 0;
  hash32 digest;
  rao issuance = 0;
  rao pending_emission = 0;
  rao total_stake = 0;
  rao burned = 0;
  hash32 chain_id;  ///< the id transactions for this chain are signed over
  friend bool operator==(const head_view&, const head_view&) = default;
};

struct block_info {
  std::uint64_t height = 0;
  hash32 hash;
  bytes block;  ///< the Block buffer as the chain stores it
  friend bool operator==(const block_info&, const block_info&) = default;
};

enum class tx_state : std::uint8_t { unknown, pending, included, failed };

struct tx_info {
  tx_state state = tx_state::unknown;
  std::uint64_t height = 0;
  std::uint32_t index = 0;
  rao fee = 0;
  std::string failure;  ///< for tx_state::failed: "<domain>.<code_name>"
  friend bool operator==(const tx_info&, const tx_info&) = default;
};

/// A hyperparameter by the chain's id (synod::chain::hyperparam, tx.hpp); a signed one
/// (alpha_sigmoid_steepness) as its two's complement.
struct hyperparam_value {
  std::uint8_t id = 0;
  std::uint64_t value = 0;
  friend bool operator==(const hyperparam_value&, const hyperparam_value&) = default;
};

/// A row entry of weights or bonds: `value` towards `uid`, u16 (65535 = the row's largest).
struct uid_value {
  std::uint16_t uid = 0;
  std::uint16_t value = 0;
  friend bool operator==(const uid_value&, const uid_value&) = default;
};

/// A subnet as of block `height`, the head the node read.
struct subnet_info {
  std::uint64_t height = 0;
  std::uint16_t netuid = 0;
  public_key owner_coldkey;
  public_key owner_hotkey;
  std::uint64_t registered_at = 0;
  rao locked = 0;
  std::uint64_t last_epoch_block = 0;
  std::uint64_t epoch_index = 0;
  std::uint64_t next_epoch_block = 0;  ///< 0: tempo 0, no epochs
  rao burn = 0;                        ///< stored price as of burn_block
  std::uint64_t burn_block = 0;
  rao burn_now = 0;                    ///< price of a registration in block height + 1
  std::uint32_t neuron_count = 0;
  std::vector<hyperparam_value> hyperparams;
  friend bool operator==(const subnet_info&, const subnet_info&) = default;
};

struct subnet_list {
  std::uint64_t height = 0;
  std::vector<subnet_info> subnets;
  friend bool operator==(const subnet_list&, const subnet_list&) = default;
};

struct axon_view {
  std::array<std::uint8_t, 16> ip{};  ///< IPv4 in the last 4 bytes
  std::uint16_t port = 0;
  std::uint8_t ip_type = 4;
  std::uint8_t protocol = 0;
  std::uint32_t version = 0;
  std::uint64_t block = 0;
  friend bool operator==(const axon_view&, const axon_view&) = default;
};

/// A neuron and its subnet's last epoch outputs (u16: 65535 = 1.0; emission in rao).
struct neuron_view {
  std::uint16_t uid = 0;
  public_key hotkey;
  std::optional<public_key> coldkey;  ///< the hotkey's owner
  rao stake = 0;                      ///< on the hotkey, from every coldkey
  std::uint64_t registered_at = 0;
  std::uint64_t last_update = 0;
  rao emission = 0;
  std::uint16_t rank = 0, trust = 0, consensus = 0, incentive = 0, dividends = 0,
                validator_trust = 0;
  bool validator_permit = false;
  bool active = false;
  std::optional<axon_view> axon;
  std::optional<std::vector<uid_value>> weights;  ///< set when asked for
  std::optional<std::vector<uid_value>> bonds;
  friend bool operator==(const neuron_view&, const neuron_view&) = default;
};

/// One page: neurons first_uid .. next_uid - 1; next_uid == subnet.neuron_count on the last.
struct metagraph_page {
  subnet_info subnet;
  std::uint32_t first_uid = 0;
  std::uint32_t next_uid = 0;
  std::vector<neuron_view> neurons;
  friend bool operator==(const metagraph_page&, const metagraph_page&) = default;
};

/// A plugin slot of the node and the version in it.
struct plugin_view {
  std::string name;     ///< the slot
  std::string plugin;   ///< the manifest's name
  std::string version;
  hash32 hash;          ///< blake2b-256 of the file
  std::string file;
  std::uint64_t swaps = 0;
  friend bool operator==(const plugin_view&, const plugin_view&) = default;
};

struct plugin_swapped {
  std::string old_version;  ///< empty when the slot was new
  plugin_view now;
  std::uint64_t load_us = 0;  ///< reading, checking and loading the file; the swap is atomic
  friend bool operator==(const plugin_swapped&, const plugin_swapped&) = default;
};

struct plugin_list {
  std::vector<plugin_view> plugins;
  friend bool operator==(const plugin_list&, const plugin_list&) = default;
};

using response_body = std::variant<error_info, submitted, account_info, stake_info, head_view,
                                   block_info, tx_info, subnet_info, subnet_list, metagraph_page,
                                   plugin_swapped, plugin_list>;

struct response {
  std::uint64_t id = 0;  ///< the request's id; 0 when the request could not be read at all
  response_body body;
  friend bool operator==(const response&, const response&) = default;
};

// ---- events ----

/// Published on every committed block.
struct block_event {
  std::uint64_t height = 0;
  hash32 hash;
  std::uint32_t tx_count = 0;
  std::vector<hash32> tx_ids;
  friend bool operator==(const block_event&, const block_event&) = default;
};

// ---- wire form ----

bytes encode(const request& r);
bytes encode(const response& r);
bytes encode(const block_event& e);

/// Errors: errc::too_large (frame over `max_frame`), errc::malformed (fails the verifier, or an
/// unknown request type; the message says which).
result<request> decode_request(byte_view frame,
                               std::size_t max_frame = default_max_request_frame);

/// Errors: errc::too_large, errc::malformed (verifier, unknown response type or tx state).
result<response> decode_response(byte_view frame,
                                 std::size_t max_frame = default_max_reply_frame);

/// Errors: errc::too_large, errc::malformed.
result<block_event> decode_block_event(byte_view frame,
                                       std::size_t max_frame = default_max_reply_frame);

/// The error as clients see it: code "<domain>.<code_name>", the message unchanged.
error_info to_error_info(const synod::error& e);

}  // namespace synod::net
