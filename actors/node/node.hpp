#pragma once
// A node in one process: the actor system, the ledger, K ledger shards, the peer and (on an
// authority) the block producer. `synod node`, `synod localnet`, the actor tests and the
// ledger benchmark all start nodes through this class. CAF stays behind this header's
// forward declarations so callers compile quickly.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "synod/chain/genesis.hpp"
#include "synod/chain/mempool.hpp"
#include "synod/crypto/keys.hpp"
#include "synod/plugin/registry.hpp"

namespace synod::ledger {
class ledger;
}

namespace synod::actors {

struct node_options {
  std::filesystem::path data_dir;
  chain::genesis genesis;
  /// Set on an authority node: it produces blocks with this key.
  std::optional<crypto::keypair> authority;
  std::size_t shards = 4;
  std::size_t threads = 0;  ///< actor scheduler threads; 0 = default_actor_threads() (half the cores)
  chain::mempool_options mempool;
  /// Produce on a timer every genesis block_time_ms; false = only produce_now().
  bool timer = true;
  /// fsync every block (nodes: yes; benchmarks may measure both).
  bool sync_writes = true;
  /// Plugins loaded at start, slot name -> file; a swap replaces a slot's version later.
  std::map<std::string, std::filesystem::path> plugins;
};

/// Errors of the node API: a request that timed out, an actor that stopped, or a rejection
/// or fault reported by an actor (its text is in the message).
enum class node_errc { timeout = 1, stopped, failed };
const error_domain& error_domain_of(node_errc) noexcept;

/// How a submission ended: empty `code` means admitted, with `tx_id` set.
struct submission {
  std::string code;  ///< "<domain>.<code>" of the rejection
  std::string message;
  hash32 tx_id;
  [[nodiscard]] bool ok() const noexcept { return code.empty(); }
};

class node {
 public:
  /// Opens the ledger in data_dir (initialising it from the genesis) and spawns the actors.
  static result<std::unique_ptr<node>> start(node_options opts);
  ~node();

  /// Admits a transaction through the shard that owns its signer. Blocking; thread-safe.
  submission submit(const bytes& envelope, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// Admits many transactions at once: each shard gets its share in one message and checks
  /// it against one head snapshot, all shards in parallel. One submission per envelope, in
  /// order. Blocking; thread-safe.
  std::vector<submission> submit_batch(const std::vector<bytes>& envelopes,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

  /// Whether a transaction is waiting in a mempool. Blocking; thread-safe.
  bool pending(const hash32& tx_id);

  /// Produces one block now (authority nodes); returns its height. Blocking; thread-safe.
  result<std::uint64_t> produce_now();

  /// Imports a block from elsewhere through the peer actor. Blocking; thread-safe.
  result<std::uint64_t> import(const bytes& raw);

  /// Called on the peer's thread with every committed block. Set before blocks flow.
  void on_block(std::function<void(const bytes& raw)> listener);

  [[nodiscard]] ledger::ledger& ledger() const noexcept;
  /// The node's subnet plugins by slot (thread-safe; see synod/plugin/registry.hpp).
  [[nodiscard]] plugin::registry& plugins() const noexcept;
  /// Whether `cookie` is this run's operator cookie (constant time). Operator requests (plugin
  /// swaps) must show it; the node writes it, new at each start, to operator_cookie_file(),
  /// readable by the node's user alone.
  [[nodiscard]] bool is_operator(std::string_view cookie) const noexcept;
  [[nodiscard]] const std::filesystem::path& operator_cookie_file() const noexcept;
  [[nodiscard]] std::size_t shards() const noexcept;
  [[nodiscard]] bool is_authority() const noexcept;

  /// Stops the actors and closes the store. Idempotent.
  void stop();

 private:
  struct impl;
  explicit node(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace synod::actors
