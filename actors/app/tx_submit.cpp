#include "tx_submit.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <thread>

#include "commands.hpp"
#include "password.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

// Polls the transaction's status until it lands in a block or the timeout passes.
std::optional<net::tx_info> wait_for(net::gateway_client& c, const tx_flags& f, const hash32& id) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(f.timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    auto t = ask<net::tx_info>(c, f, net::get_tx{id});
    if (!t) return std::nullopt;
    if (t->state == net::tx_state::included || t->state == net::tx_state::failed) return t;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::fprintf(stderr, "synod: transaction %s not in a block after %u ms\n", id.hex().c_str(), f.timeout_ms);
  return std::nullopt;
}

std::nullopt_t failed(const error& e) {
  report(e);
  return std::nullopt;
}

result<crypto::keypair> load_signer(const tx_flags& f, signer_kind who, const wallet::keystore& store) {
  if (who == signer_kind::hotkey) return store.load_hotkey(f.wallet, f.hotkey);
  auto pw = read_password(f.password_file, f.wallet, password_use::open);
  if (!pw) return std::move(pw).error();
  return store.load_coldkey(f.wallet, pw->text);
}

}  // namespace

std::optional<sent_tx> submit(const tx_flags& f, signer_kind who, net::gateway_client& c,
                              const call_maker& make) {
  auto root = resolve_wallet_root(f.wallet_path);
  if (!root) return failed(root.error());
  wallet::keystore store({*root});
  if (auto exists = store.show(f.wallet); !exists) return failed(exists.error());
  auto head = ask<net::head_view>(c, f, net::get_head{});
  if (!head) return std::nullopt;
  auto signer = load_signer(f, who, store);
  if (!signer) return failed(signer.error());
  auto call = make(tx_env{f, store, *signer, head->chain_id, c});
  if (!call) return failed(call.error());
  auto account = ask<net::account_info>(c, f, net::get_account{signer->public_key()});
  if (!account) return std::nullopt;
  auto envelope = chain::encode_tx(head->chain_id, *signer, account->nonce, *call);
  auto sent = ask<net::submitted>(c, f, net::submit_tx{envelope});
  if (!sent) return std::nullopt;
  sent_tx out{sent->tx_id, std::string(chain::call_name(*call)), std::nullopt,
              signer->public_key(), account->balance};
  if (f.wait) {
    out.landed = wait_for(c, f, sent->tx_id);
    if (!out.landed) return std::nullopt;
  }
  return out;
}

int print_outcome(const tx_flags& f, const sent_tx& t, const nlohmann::json& extra,
                  const std::string& extra_text) {
  const auto& landed = t.landed;
  bool rejected = landed && landed->state == net::tx_state::failed;
  if (f.json) {
    nlohmann::json doc = {{"call", t.call}, {"id", t.id.hex()}};
    if (landed) {
      doc["state"] = rejected ? "failed" : "included";
      doc["height"] = landed->height;
      doc["fee_rao"] = landed->fee;
      if (rejected) doc["failure"] = landed->failure;
    } else {
      doc["state"] = "submitted";
    }
    if (extra.is_object()) doc.update(extra);
    std::printf("%s\n", doc.dump(2).c_str());
  } else {
    std::printf("%s submitted: %s\n", t.call.c_str(), t.id.hex().c_str());
    if (landed && !rejected)
      std::printf("included in block %llu, fee %s TAO\n", static_cast<unsigned long long>(landed->height),
                  format_tao(landed->fee).c_str());
    if (rejected)
      std::printf("failed in block %llu: %s (fee %s TAO charged)\n",
                  static_cast<unsigned long long>(landed->height), landed->failure.c_str(),
                  format_tao(landed->fee).c_str());
    std::printf("%s", extra_text.c_str());
  }
  return rejected ? exit_error : exit_ok;
}

int run_tx(const tx_flags& f, signer_kind who, const call_maker& make) {
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto sent = submit(f, who, *c, make);
  if (!sent) return exit_error;
  return print_outcome(f, *sent);
}

CLI::App* add_tx(CLI::App* tx, const char* name, const char* help, tx_flags& f, signer_kind who) {
  auto* sub = tx->add_subcommand(name, help);
  const bool cold = who == signer_kind::coldkey;
  sub->add_option("--wallet,-w", f.wallet, cold ? "wallet whose coldkey signs" : "wallet whose hotkey signs")
      ->required();
  sub->add_option("--wallet-path", f.wallet_path,
                  "directory of wallets (default: $SYNOD_WALLET_PATH, else ~/.synod/wallets)");
  if (cold)
    sub->add_option("--password-file", f.password_file,
                    "read the password from FILE (else $SYNOD_WALLET_PASSWORD, else a prompt)");
  else
    sub->add_option("--hotkey", f.hotkey, "the wallet's hotkey that signs (default: default)");
  sub->add_flag("--wait", f.wait, "wait until the transaction is in a block");
  add_client_flags(sub, f);
  return sub;
}

result<crypto::public_key> hotkey_address(const tx_env& env) {
  if (auto key = crypto::parse_public_key(env.f.hotkey)) return *key;
  auto hot = env.store.load_hotkey(env.f.wallet, env.f.hotkey);
  if (!hot) return std::move(hot).error().with_context("--hotkey (neither an address nor a hotkey of the wallet)");
  return hot->public_key();
}

}  // namespace synod::app
