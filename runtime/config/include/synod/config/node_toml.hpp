#pragma once
/// The node file (`synod node --config node.toml`): where a node keeps its data, which
/// genesis it runs, whether it produces blocks, its shards and its gateway. Relative paths
/// are taken from the file's own directory. Format: docs/node.md.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "synod/base/result.hpp"
#include "synod/chain/mempool.hpp"

namespace synod::config {

/// The wallet hotkey an authority signs blocks with (hotkeys are stored unencrypted, so a
/// node starts unattended).
struct authority_ref {
  std::filesystem::path wallet_path;
  std::string wallet;
  std::string hotkey = "default";
};

struct node_config {
  std::filesystem::path data_dir;
  std::filesystem::path genesis_file;
  std::size_t shards = 4;
  std::size_t threads = 0;
  bool sync_writes = true;
  std::optional<authority_ref> authority;
  std::string rpc_endpoint = "tcp://127.0.0.1:7600";
  std::string pub_endpoint = "tcp://127.0.0.1:7601";
  chain::mempool_options mempool;
  /// Another node to follow (fetch and import its blocks): its gateway and block feed.
  std::optional<std::pair<std::string, std::string>> follow;
  /// [plugins]: subnet plugins loaded at start, slot name -> file.
  std::map<std::string, std::filesystem::path> plugins;
};

/// Parses a node file; `base_dir` resolves relative paths. Errors: as parse_genesis
/// (syntax, unknown_key, missing_key, bad_value naming the key path).
result<node_config> parse_node_config(std::string_view toml_text, std::string_view source_name,
                                      const std::filesystem::path& base_dir);

/// Reads and parses `path`. Errors: errc::not_found, errc::io_error, and parse errors.
result<node_config> load_node_config(const std::filesystem::path& path);

}  // namespace synod::config
