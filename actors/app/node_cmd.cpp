// `synod node --config node.toml`: one node, in the foreground, from a node file (format in
// docs/node.md). An authority's block-signing key is a wallet hotkey, so it starts unattended.

#include <CLI/CLI.hpp>

#include <cstdio>

#include "commands.hpp"
#include "serve.hpp"
#include "synod/config/genesis_toml.hpp"
#include "synod/config/node_toml.hpp"
#include "synod/crypto/address.hpp"
#include "synod/ledger/ledger.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

struct node_flags {
  std::string config;
  bool quiet = false;
  std::uint64_t blocks = 0;
};

}  // namespace

int run_node_file(const std::filesystem::path& file, bool live, std::uint64_t blocks,
                  const std::function<void()>& after_banner) {
  block_stop_signals();
  auto cfg = config::load_node_config(file);
  if (!cfg) return report(cfg.error());
  auto g = config::load_genesis(cfg->genesis_file);
  if (!g) return report(g.error());
  serve_options o;
  o.node.data_dir = cfg->data_dir;
  o.node.genesis = std::move(*g);
  o.node.shards = cfg->shards;
  o.node.plugins = cfg->plugins;
  o.node.threads = cfg->threads;
  o.node.mempool = cfg->mempool;
  o.node.sync_writes = cfg->sync_writes;
  if (cfg->authority) {
    wallet::keystore store({cfg->authority->wallet_path});
    auto key = store.load_hotkey(cfg->authority->wallet, cfg->authority->hotkey);
    if (!key) return report(key.error().with_context("authority key"));
    o.node.authority = *key;
  }
  if (cfg->follow) o.follow = actors::follower_options{cfg->follow->first, cfg->follow->second};
  o.gateway.rpc_endpoint = cfg->rpc_endpoint;
  o.gateway.pub_endpoint = cfg->pub_endpoint;
  o.live = live;
  if (blocks) o.stop_after = blocks;
  bool following = cfg->follow.has_value();
  o.banner = [after_banner, following](actors::node& n, const net::gateway_server& gw) {
    auto h = n.ledger().head();
    std::printf("synod node: chain %s, head %llu, %zu shards%s\n  rpc %s\n  pub %s\n",
                n.ledger().context().chain_id.hex().c_str(), static_cast<unsigned long long>(h.height),
                n.shards(), n.is_authority() ? ", producing blocks" : following ? ", following" : "", gw.rpc_endpoint().c_str(),
                gw.pub_endpoint().c_str());
    std::printf("  operator cookie %s\n", n.operator_cookie_file().c_str());
    if (after_banner) after_banner();
    std::fflush(stdout);
  };
  return serve(std::move(o));
}

void add_node_commands(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<node_flags>();
  auto* node = app.add_subcommand("node", "run a node from a node file until SIGINT/SIGTERM");
  node->add_option("--config,-c", f->config, "node file (TOML, see docs/node.md)")->required();
  node->add_flag("--quiet", f->quiet, "do not print each block");
  node->add_option("--blocks", f->blocks, "stop after producing or importing this many blocks");
  node->callback([f, &exit_code] { exit_code = run_node_file(f->config, !f->quiet, f->blocks, {}); });
}

}  // namespace synod::app
