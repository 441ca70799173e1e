// `synod localnet`: a whole working network in one process, for developers. The first run
// makes a directory with wallets (one authority, three funded users), a genesis and a node
// file; every run starts that node with fast blocks and a live view. `synod node --config
// DIR/node.toml` runs the very same node.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "cli_errc.hpp"
#include "commands.hpp"
#include "synod/config/genesis_toml.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* localnet_password = "localnet";
constexpr std::string_view users[] = {"alice", "bob", "charlie"};
constexpr rao user_funds = 1'000'000 * rao_per_tao;

struct localnet_flags {
  std::string dir;
  bool fresh = false;
  std::uint32_t block_time_ms = 250;
  std::size_t shards = 4;
  std::string rpc = "tcp://127.0.0.1:7600";
  std::string pub = "tcp://127.0.0.1:7601";
  std::uint64_t blocks = 0;
  bool quiet = false;
};

result<fs::path> localnet_dir(const localnet_flags& f) {
  if (!f.dir.empty()) return fs::path(f.dir);
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".synod" / "localnet";
  return error(errc::no_wallet_path, "HOME is not set; pass --dir DIR");
}

status write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return error(errc::unreadable_file, "cannot write " + path.string());
  return ok();
}

// Wallets first: the genesis funds the coldkeys they generated.
status make_network(const fs::path& dir, const localnet_flags& f) {
  wallet::keystore store({dir / "wallets", crypto::kdf_strength::minimal});
  auto authority = store.create("authority", localnet_password);
  if (!authority) return std::move(authority).error();
  chain::genesis g;
  g.chain_name = "synod-localnet";
  g.params.block_time_ms = f.block_time_ms;
  auto signer = store.load_hotkey("authority", "default");
  if (!signer) return std::move(signer).error();
  g.authorities = {signer->public_key()};
  for (auto user : users) {
    auto w = store.create(user, localnet_password);
    if (!w) return std::move(w).error();
    auto cold = store.load_coldkey(user, localnet_password);
    if (!cold) return std::move(cold).error();
    g.balances.emplace_back(cold->public_key(), user_funds);
  }
  return write_text(dir / "genesis.toml", config::genesis_to_toml(g));
}

// Rewritten on every start so the endpoints and shard count follow the flags.
status write_node_file(const fs::path& dir, const localnet_flags& f) {
  std::string text =
      "# Written by `synod localnet`; run the same node with `synod node --config` on this file.\n"
      "data_dir = \"data\"\n"
      "genesis = \"genesis.toml\"\n"
      "shards = " + std::to_string(f.shards) + "\n\n"
      "[authority]\nwallet_path = \"wallets\"\nwallet = \"authority\"\nhotkey = \"default\"\n\n"
      "[gateway]\nrpc = \"" + f.rpc + "\"\npub = \"" + f.pub + "\"\n";
  return write_text(dir / "node.toml", text);
}

void print_guide(const fs::path& dir) {
  wallet::keystore store({dir / "wallets"});
  std::printf("\nwallets: %s (password '%s')\n", (dir / "wallets").c_str(), localnet_password);
  std::string bob;
  for (auto user : users) {
    auto info = store.show(user);
    if (!info || !info->coldkey.key) continue;
    auto address = crypto::to_ss58(*info->coldkey.key);
    if (user == "bob") bob = address;
    std::printf("  %-8.*s %s  %s TAO at genesis\n", static_cast<int>(user.size()), user.data(),
                address.c_str(), format_tao(user_funds).c_str());
  }
  std::printf("\ntry, in another shell:\n"
              "  export SYNOD_WALLET_PATH=%s SYNOD_WALLET_PASSWORD=%s\n"
              "  synod tx transfer --wallet alice --to %s --amount 1.5 --wait\n"
              "  synod query balance %s\n  synod query head\n\n",
              (dir / "wallets").c_str(), localnet_password, bob.c_str(), bob.c_str());
}

int run_localnet(const localnet_flags& f) {
  auto dir = localnet_dir(f);
  if (!dir) return report(dir.error());
  std::error_code ec;
  if (f.fresh) fs::remove_all(*dir, ec);
  fs::create_directories(*dir, ec);
  if (!fs::exists(*dir / "genesis.toml")) {
    if (fs::exists(*dir / "wallets")) fs::remove_all(*dir / "wallets", ec);  // a half-made earlier run
    if (auto st = make_network(*dir, f); !st) return report(st.error().with_context("setting up localnet"));
  }
  if (auto st = write_node_file(*dir, f); !st) return report(st.error());
  std::printf("synod localnet in %s\n", dir->c_str());
  auto path = *dir;
  return run_node_file(*dir / "node.toml", !f.quiet, f.blocks, [path] { print_guide(path); });
}

}  // namespace

void add_localnet_commands(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<localnet_flags>();
  auto* localnet = app.add_subcommand("localnet", "run a whole network in one process (fast blocks, live view)");
  localnet->add_option("--dir", f->dir, "network directory (default ~/.synod/localnet)");
  localnet->add_flag("--fresh", f->fresh, "delete the directory first: a new chain");
  localnet->add_option("--block-time-ms", f->block_time_ms, "block interval of a new chain (default 250)")
      ->check(CLI::Range(10u, 600'000u));
  localnet->add_option("--shards", f->shards, "ledger shards (default 4)")->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  localnet->add_option("--rpc", f->rpc, "gateway request endpoint (default tcp://127.0.0.1:7600)");
  localnet->add_option("--pub", f->pub, "gateway block feed endpoint (default tcp://127.0.0.1:7601)");
  localnet->add_option("--blocks", f->blocks, "stop after this many blocks (default: run until Ctrl-C)");
  localnet->add_flag("--quiet", f->quiet, "do not print each block");
  localnet->callback([f, &exit_code] { exit_code = run_localnet(*f); });
}

}  // namespace synod::app
