// `synod wallet create|list|show|check|regen-hotkey`: the keystore of runtime/wallet on the
// command line. This file resolves the root directory and the password; the keystore does the
// rest and the printing is in wallet_output.cpp.

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <memory>

#include "cli_errc.hpp"
#include "commands.hpp"
#include "password.hpp"
#include "synod/wallet/errc.hpp"
#include "synod/wallet/keystore.hpp"
#include "wallet_output.hpp"

namespace synod::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* wallet_path_env = "SYNOD_WALLET_PATH";

struct wallet_flags {
  std::string wallet_path;
  bool json = false;
  std::string name;
  std::string hotkey = "default";
  std::string password_file;
  std::string kdf_name = "moderate";
  std::string seed_hex;
  bool overwrite = false;

  [[nodiscard]] output how() const { return json ? output::json : output::text; }
  [[nodiscard]] crypto::kdf_strength kdf() const;
};

// --kdf has been checked against these names by CLI11 before any callback runs.
crypto::kdf_strength wallet_flags::kdf() const {
  if (kdf_name == "minimal") return crypto::kdf_strength::minimal;
  if (kdf_name == "interactive") return crypto::kdf_strength::interactive;
  if (kdf_name == "sensitive") return crypto::kdf_strength::sensitive;
  return crypto::kdf_strength::moderate;
}

result<wallet::keystore> open_keystore(const wallet_flags& f) {
  auto root = resolve_wallet_root(f.wallet_path);
  if (!root) return std::move(root).error();
  return wallet::keystore({*root, f.kdf()});
}

// Hex of a 32-byte seed, as `regen-hotkey --seed` takes it.
result<crypto::seed> parse_seed(const std::string& hex) {
  auto raw = from_hex(hex);
  if (!raw) return std::move(raw).error().with_context("--seed");
  auto seed = crypto::seed::from_view(*raw);
  if (!seed) return std::move(seed).error().with_context("--seed");
  return seed;
}

int run_create(const wallet_flags& f) {
  auto store = open_keystore(f);
  if (!store) return report(store.error());
  if (auto ready = store->can_create(f.name, f.hotkey); !ready) return report(ready.error());
  auto pw = read_password(f.password_file, f.name, password_use::create);
  if (!pw) return report(pw.error());
  auto info = store->create(f.name, pw->text, f.hotkey);
  if (!info) return report(info.error());
  print_wallet(*info, "created wallet '" + f.name + "'", f.how());
  return exit_ok;
}

int run_list(const wallet_flags& f) {
  auto store = open_keystore(f);
  if (!store) return report(store.error());
  auto wallets = store->list();
  if (!wallets) return report(wallets.error());
  print_wallets(*wallets, store->options().root, f.how());
  return exit_ok;
}

int run_show(const wallet_flags& f) {
  auto store = open_keystore(f);
  if (!store) return report(store.error());
  auto info = store->show(f.name);
  if (!info) return report(info.error());
  print_wallet(*info, "", f.how());
  return exit_ok;
}

// Decrypting the coldkey is how a user tests a password; every hotkey is read and checked too.
int run_check(const wallet_flags& f) {
  auto store = open_keystore(f);
  if (!store) return report(store.error());
  if (auto exists = store->show(f.name); !exists) return report(exists.error());
  auto pw = read_password(f.password_file, f.name, password_use::open);
  if (!pw) return report(pw.error());
  auto info = store->check(f.name, pw->text);
  if (!info) return report(info.error());
  print_wallet(*info, "the password opens the coldkey of wallet '" + f.name + "'", f.how());
  if (auto problem = info->first_problem()) return report(*problem);
  return exit_ok;
}

int run_regen_hotkey(const wallet_flags& f) {
  auto store = open_keystore(f);
  if (!store) return report(store.error());
  std::optional<crypto::seed> seed;
  if (!f.seed_hex.empty()) {
    auto parsed = parse_seed(f.seed_hex);
    if (!parsed) return report(parsed.error());
    seed = *parsed;
  }
  auto when = f.overwrite ? wallet::if_exists::overwrite : wallet::if_exists::fail;
  auto key = store->regen_hotkey(f.name, f.hotkey, seed, when);
  if (!key && key.error().is(wallet::errc::already_exists))
    return report(error(wallet::errc::already_exists,
                        key.error().message() + " (pass --overwrite to replace it)"));
  if (!key) return report(key.error());
  print_hotkey(f.name, *key, f.how());
  return exit_ok;
}

CLI::App* add_subcommand(CLI::App& wallet, const char* name, const char* help,
                         wallet_flags& f) {
  auto* sub = wallet.add_subcommand(name, help);
  sub->add_option("--wallet-path", f.wallet_path,
                  "directory of wallets (default: $SYNOD_WALLET_PATH, else ~/.synod/wallets)");
  sub->add_flag("--json", f.json, "print one JSON document on stdout");
  return sub;
}

void add_name(CLI::App* sub, wallet_flags& f) {
  sub->add_option("--name,-n", f.name, "wallet name")->required();
}

void add_password_file(CLI::App* sub, wallet_flags& f) {
  sub->add_option("--password-file", f.password_file,
                  "read the password from the first line of FILE (else $SYNOD_WALLET_PASSWORD, "
                  "else a prompt)");
}

void add_kdf(CLI::App* sub, wallet_flags& f) {
  sub->add_option("--kdf", f.kdf_name,
                  "Argon2id cost of the coldkey's encryption (default moderate; minimal is for "
                  "tests only and protects almost nothing)")
      ->check(CLI::IsMember({"minimal", "interactive", "moderate", "sensitive"}));
}

}  // namespace

// --wallet-path, else $SYNOD_WALLET_PATH, else $HOME/.synod/wallets.
result<std::filesystem::path> resolve_wallet_root(const std::string& flag) {
  if (!flag.empty()) return fs::path(flag);
  if (const char* env = std::getenv(wallet_path_env); env && *env) return fs::path(env);
  if (const char* home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".synod" / "wallets";
  return error(errc::no_wallet_path,
               "HOME is not set; pass --wallet-path DIR or set SYNOD_WALLET_PATH");
}

void add_wallet_commands(CLI::App& app, int& exit_code) {
  auto* wallet = app.add_subcommand("wallet", "create and inspect coldkeys and hotkeys");
  wallet->require_subcommand(1);
  auto f = std::make_shared<wallet_flags>();  // shared by the callbacks, lives with the app
  auto run = [f, &exit_code](int (*fn)(const wallet_flags&)) {
    return [f, &exit_code, fn] { exit_code = fn(*f); };
  };

  auto* create = add_subcommand(*wallet, "create", "make a wallet: a coldkey and a hotkey", *f);
  add_name(create, *f);
  create->add_option("--hotkey", f->hotkey, "name of the first hotkey (default: default)");
  add_password_file(create, *f);
  add_kdf(create, *f);
  create->callback(run(run_create));

  add_subcommand(*wallet, "list", "every wallet with its addresses", *f)->callback(run(run_list));

  auto* show = add_subcommand(*wallet, "show", "one wallet's addresses (no password)", *f);
  add_name(show, *f);
  show->callback(run(run_show));

  auto* check = add_subcommand(*wallet, "check", "test the password and every key file", *f);
  add_name(check, *f);
  add_password_file(check, *f);
  check->callback(run(run_check));

  auto* regen = add_subcommand(*wallet, "regen-hotkey", "make or restore a hotkey", *f);
  add_name(regen, *f);
  regen->add_option("--hotkey", f->hotkey, "hotkey name")->required();
  regen->add_option("--seed", f->seed_hex,
                    "restore from this 32-byte seed in hex (visible to other local users in the "
                    "process list; prefer a fresh key)");
  regen->add_flag("--overwrite", f->overwrite, "replace the hotkey if it exists");
  regen->callback(run(run_regen_hotkey));
}

}  // namespace synod::app
