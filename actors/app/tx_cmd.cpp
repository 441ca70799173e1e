// `synod tx transfer|stake|unstake|register-hotkey`: sign a call with a wallet's coldkey and
// submit it through a node's gateway; --wait follows it into a block.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <thread>

#include "client.hpp"
#include "commands.hpp"
#include "password.hpp"
#include "synod/chain/tx.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

struct tx_flags : client_flags {
  std::string wallet;
  std::string wallet_path;
  std::string password_file;
  std::string to;        // transfer destination / stake hotkey address
  std::string hotkey;    // register-hotkey: the wallet's hotkey name
  std::string amount;
  bool wait = false;
};

// The signed call's pieces that depend on the command.
using call_maker = std::function<result<chain::call>(const tx_flags&, const wallet::keystore&,
                                                      const crypto::keypair& coldkey,
                                                      const hash32& chain_id)>;

result<rao> amount_of(const tx_flags& f) { return parse_tao(f.amount); }

result<chain::call> make_transfer(const tx_flags& f, const wallet::keystore&, const crypto::keypair&,
                                  const hash32&) {
  auto to = crypto::parse_public_key(f.to);
  if (!to) return std::move(to).error().with_context("--to");
  auto amount = amount_of(f);
  if (!amount) return std::move(amount).error().with_context("--amount");
  return chain::call{chain::transfer_call{*to, *amount}};
}

template <class Call>
result<chain::call> make_stake(const tx_flags& f, const wallet::keystore&, const crypto::keypair&,
                               const hash32&) {
  auto hot = crypto::parse_public_key(f.to);
  if (!hot) return std::move(hot).error().with_context("--hotkey");
  auto amount = amount_of(f);
  if (!amount) return std::move(amount).error().with_context("--amount");
  return chain::call{Call{*hot, *amount}};
}

result<chain::call> make_registration(const tx_flags& f, const wallet::keystore& store,
                                      const crypto::keypair& cold, const hash32& chain_id) {
  auto hot = store.load_hotkey(f.wallet, f.hotkey);
  if (!hot) return std::move(hot).error();
  auto proof = hot->sign(chain::register_proof_message(chain_id, cold.public_key()).view());
  return chain::call{chain::register_hotkey_call{hot->public_key(), proof}};
}

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

int print_outcome(const tx_flags& f, std::string_view call, const hash32& id,
                  const std::optional<net::tx_info>& t) {
  bool failed = t && t->state == net::tx_state::failed;
  if (f.json) {
    nlohmann::json doc = {{"call", call}, {"id", id.hex()}};
    if (t) {
      doc["state"] = failed ? "failed" : "included";
      doc["height"] = t->height;
      doc["fee_rao"] = t->fee;
      if (failed) doc["failure"] = t->failure;
    } else {
      doc["state"] = "submitted";
    }
    std::printf("%s\n", doc.dump(2).c_str());
  } else {
    std::printf("%.*s submitted: %s\n", static_cast<int>(call.size()), call.data(), id.hex().c_str());
    if (t && !failed)
      std::printf("included in block %llu, fee %s TAO\n", static_cast<unsigned long long>(t->height),
                  format_tao(t->fee).c_str());
    if (failed)
      std::printf("failed in block %llu: %s (fee %s TAO charged)\n",
                  static_cast<unsigned long long>(t->height), t->failure.c_str(), format_tao(t->fee).c_str());
  }
  return failed ? exit_error : exit_ok;
}

int run(const tx_flags& f, const call_maker& make) {
  auto root = resolve_wallet_root(f.wallet_path);
  if (!root) return report(root.error());
  wallet::keystore store({*root});
  if (auto exists = store.show(f.wallet); !exists) return report(exists.error());
  auto c = connect_or_report(f);
  if (!c) return exit_error;
  auto head = ask<net::head_view>(*c, f, net::get_head{});
  if (!head) return exit_error;
  auto pw = read_password(f.password_file, f.wallet, password_use::open);
  if (!pw) return report(pw.error());
  auto cold = store.load_coldkey(f.wallet, pw->text);
  if (!cold) return report(cold.error());
  auto call = make(f, store, *cold, head->chain_id);
  if (!call) return report(call.error());
  auto account = ask<net::account_info>(*c, f, net::get_account{cold->public_key()});
  if (!account) return exit_error;
  auto envelope = chain::encode_tx(head->chain_id, *cold, account->nonce, *call);
  auto sent = ask<net::submitted>(*c, f, net::submit_tx{envelope});
  if (!sent) return exit_error;
  std::optional<net::tx_info> landed;
  if (f.wait) {
    landed = wait_for(*c, f, sent->tx_id);
    if (!landed) return exit_error;
  }
  return print_outcome(f, chain::call_name(*call), sent->tx_id, landed);
}

CLI::App* add_tx(CLI::App* tx, const char* name, const char* help, tx_flags& f) {
  auto* sub = tx->add_subcommand(name, help);
  sub->add_option("--wallet,-w", f.wallet, "wallet whose coldkey signs")->required();
  sub->add_option("--wallet-path", f.wallet_path,
                  "directory of wallets (default: $SYNOD_WALLET_PATH, else ~/.synod/wallets)");
  sub->add_option("--password-file", f.password_file,
                  "read the password from FILE (else $SYNOD_WALLET_PASSWORD, else a prompt)");
  sub->add_flag("--wait", f.wait, "wait until the transaction is in a block");
  add_client_flags(sub, f);
  return sub;
}

}  // namespace

void add_tx_commands(CLI::App& app, int& exit_code) {
  auto* tx = app.add_subcommand("tx", "sign and submit transactions");
  tx->require_subcommand(1);
  auto f = std::make_shared<tx_flags>();
  auto bind = [f, &exit_code](call_maker make) {
    return [f, &exit_code, make] { exit_code = run(*f, make); };
  };
  auto* transfer = add_tx(tx, "transfer", "send TAO to an address", *f);
  transfer->add_option("--to", f->to, "destination address")->required();
  transfer->add_option("--amount", f->amount, "TAO, exact decimal (e.g. 1.5)")->required();
  transfer->callback(bind(make_transfer));

  auto* stake = add_tx(tx, "stake", "stake TAO from the coldkey to a hotkey", *f);
  stake->add_option("--hotkey", f->to, "hotkey address")->required();
  stake->add_option("--amount", f->amount, "TAO")->required();
  stake->callback(bind(make_stake<chain::add_stake_call>));

  auto* unstake = add_tx(tx, "unstake", "move stake back to the coldkey's balance", *f);
  unstake->add_option("--hotkey", f->to, "hotkey address")->required();
  unstake->add_option("--amount", f->amount, "TAO")->required();
  unstake->callback(bind(make_stake<chain::remove_stake_call>));

  auto* reg = add_tx(tx, "register-hotkey", "make the coldkey the owner of one of its wallet's hotkeys", *f);
  reg->add_option("--hotkey", f->hotkey, "hotkey name in the wallet (default: default)");
  f->hotkey = "default";
  reg->callback(bind(make_registration));
}

}  // namespace synod::app
