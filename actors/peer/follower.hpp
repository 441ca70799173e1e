#pragma once
// follower: keeps a node that produces no blocks in step with one that does. It subscribes to
// the other node's block feed and, whenever it learns of a block past its own head (and once
// at start: catch-up), fetches every missing block in order through the other node's gateway
// and imports it through this node's peer, so each block is verified (signatures on the
// shards), applied and committed here before the next. A block that fails to import stops the
// follower with the reason: a follower never skips ahead.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "actors/node/node.hpp"

namespace synod::actors {

struct follower_options {
  std::string rpc_endpoint;  ///< the other node's gateway
  std::string pub_endpoint;  ///< the other node's block feed
};

class follower {
 public:
  /// Starts following on its own thread. The node must outlive the follower.
  follower(node& n, follower_options opts);
  ~follower();  ///< stops and joins

  /// Why the follower stopped on its own (empty while it runs or after a clean stop).
  [[nodiscard]] std::string failure() const;

 private:
  void run();

  node& node_;
  follower_options opts_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::string failure_;
  std::thread thread_;
};

}  // namespace synod::actors
