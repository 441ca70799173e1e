#include "synod/config/node_toml.hpp"

#include "synod/config/errc.hpp"
#include "text_file.hpp"
#include "toml_fields.hpp"

namespace synod::config {
namespace {

using detail::place;
namespace fs = std::filesystem;

status read_path(const toml::table& t, const place& at, std::string_view key,
                 const fs::path& base, fs::path& out, bool needed) {
  const auto* n = t.get(key);
  if (!n) {
    if (!needed) return ok();
    return detail::required(t, at, key).error();
  }
  auto s = detail::read_string(*n, at.key(key));
  if (!s) return std::move(s).error();
  if (s->empty()) return detail::bad_value(at.key(key), *n, "an empty path");
  out = fs::path(*s).is_absolute() ? fs::path(*s) : base / *s;
  return ok();
}

template <class Int>
status read_count(const toml::table& t, const place& at, std::string_view key, std::uint64_t max,
                  Int& out) {
  const auto* n = t.get(key);
  if (!n) return ok();
  auto v = detail::read_uint(*n, at.key(key), max);
  if (!v) return std::move(v).error();
  out = static_cast<Int>(*v);
  return ok();
}

status read_string_key(const toml::table& t, const place& at, std::string_view key,
                       std::string& out) {
  const auto* n = t.get(key);
  if (!n) return ok();
  auto s = detail::read_string(*n, at.key(key));
  if (!s) return std::move(s).error();
  out = std::move(*s);
  return ok();
}

status read_authority(const toml::node& n, const place& at, const fs::path& base, node_config& c) {
  auto t = detail::read_table(n, at);
  if (!t) return std::move(t).error();
  SYNOD_TRY(detail::only_keys(**t, at, {"wallet_path", "wallet", "hotkey"}));
  authority_ref a;
  SYNOD_TRY(read_path(**t, at, "wallet_path", base, a.wallet_path, true));
  auto w = detail::required(**t, at, "wallet");
  if (!w) return std::move(w).error();
  auto name = detail::read_string(**w, at.key("wallet"));
  if (!name) return std::move(name).error();
  a.wallet = std::move(*name);
  SYNOD_TRY(read_string_key(**t, at, "hotkey", a.hotkey));
  c.authority = std::move(a);
  return ok();
}

status read_gateway(const toml::node& n, const place& at, node_config& c) {
  auto t = detail::read_table(n, at);
  if (!t) return std::move(t).error();
  SYNOD_TRY(detail::only_keys(**t, at, {"rpc", "pub"}));
  SYNOD_TRY(read_string_key(**t, at, "rpc", c.rpc_endpoint));
  return read_string_key(**t, at, "pub", c.pub_endpoint);
}

status read_follow(const toml::node& n, const place& at, node_config& c) {
  auto t = detail::read_table(n, at);
  if (!t) return std::move(t).error();
  SYNOD_TRY(detail::only_keys(**t, at, {"rpc", "pub"}));
  std::string rpc, pub;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"rpc", &rpc}, {"pub", &pub}}) {
    auto v = detail::required(**t, at, key);
    if (!v) return std::move(v).error();
    auto s = detail::read_string(**v, at.key(key));
    if (!s) return std::move(s).error();
    *out = std::move(*s);
  }
  c.follow = std::make_pair(std::move(rpc), std::move(pub));
  return ok();
}

status read_mempool(const toml::node& n, const place& at, node_config& c) {
  auto t = detail::read_table(n, at);
  if (!t) return std::move(t).error();
  SYNOD_TRY(detail::only_keys(**t, at, {"capacity", "per_signer", "nonce_window"}));
  SYNOD_TRY(read_count(**t, at, "capacity", 100'000'000, c.mempool.capacity));
  SYNOD_TRY(read_count(**t, at, "per_signer", 1'000'000, c.mempool.per_signer));
  return read_count(**t, at, "nonce_window", 1'000'000, c.mempool.nonce_window);
}

// [plugins]: slot = "path/to/plugin.so", each loaded at start.
status read_plugins(const toml::node& n, const place& at, const fs::path& base, node_config& c) {
  auto t = detail::read_table(n, at);
  if (!t) return std::move(t).error();
  for (const auto& [key, value] : **t) {
    const std::string slot(key.str());
    fs::path file;
    SYNOD_TRY(read_path(**t, at, slot, base, file, true));
    c.plugins[slot] = file;
  }
  return ok();
}

}  // namespace

result<node_config> parse_node_config(std::string_view toml_text, std::string_view source_name,
                                      const fs::path& base_dir) {
  auto doc = detail::parse_document(toml_text, source_name);
  if (!doc) return std::move(doc).error();
  const auto& root = *doc;
  place at{source_name, ""};
  SYNOD_TRY(detail::only_keys(root, at, {"data_dir", "genesis", "shards", "threads",
                                         "sync_writes", "authority", "gateway", "mempool",
                                         "follow", "plugins"}));
  node_config c;
  SYNOD_TRY(read_path(root, at, "data_dir", base_dir, c.data_dir, true));
  SYNOD_TRY(read_path(root, at, "genesis", base_dir, c.genesis_file, true));
  SYNOD_TRY(read_count(root, at, "shards", 256, c.shards));
  if (c.shards == 0) return detail::bad_value(at.key("shards"), *root.get("shards"), "must be at least 1");
  SYNOD_TRY(read_count(root, at, "threads", 1024, c.threads));
  if (const auto* n = root.get("sync_writes")) {
    auto b = n->value<bool>();
    if (!b) return detail::bad_value(at.key("sync_writes"), *n, "expected true or false");
    c.sync_writes = *b;
  }
  if (const auto* n = root.get("authority")) SYNOD_TRY(read_authority(*n, at.key("authority"), base_dir, c));
  if (const auto* n = root.get("gateway")) SYNOD_TRY(read_gateway(*n, at.key("gateway"), c));
  if (const auto* n = root.get("mempool")) SYNOD_TRY(read_mempool(*n, at.key("mempool"), c));
  if (const auto* n = root.get("follow")) SYNOD_TRY(read_follow(*n, at.key("follow"), c));
  if (const auto* n = root.get("plugins")) SYNOD_TRY(read_plugins(*n, at.key("plugins"), base_dir, c));
  return c;
}

result<node_config> load_node_config(const fs::path& path) {
  auto text = detail::read_text_file(path, 1 << 20);
  if (!text) return std::move(text).error();
  return parse_node_config(*text, path.string(), path.parent_path());
}

}  // namespace synod::config
