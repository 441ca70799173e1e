#pragma once
/// The gateway protocol (schemas/gateway.fbs) as plain C++ values, and their wire form.
///
/// One request, response or block event travels as one ZeroMQ frame holding one FlatBuffers
/// buffer. Decoders take untrusted bytes: they check the size limit, run the verifier once and
/// only then read, so code past them never sees an unchecked buffer. Encoding cannot fail.
/// Every function here is pure and thread-safe.

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

using request_body = std::variant<submit_tx, get_account, get_stake, get_head, get_block, get_tx>;

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

using response_body = std::variant<error_info, submitted, account_info, stake_info, head_view,
                                   block_info, tx_info>;

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
