// `synod tx transfer|stake|unstake|register-hotkey`: sign a call with a wallet's coldkey and
// submit it through a node's gateway; --wait follows it into a block. The subnet calls are in
// subnet_tx_cmd.cpp; what they all share in tx_submit.cpp.

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "tx_submit.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

result<chain::call> make_transfer(const tx_env& env) {
  auto to = crypto::parse_public_key(env.f.to);
  if (!to) return std::move(to).error().with_context("--to");
  auto amount = parse_tao(env.f.amount);
  if (!amount) return std::move(amount).error().with_context("--amount");
  return chain::call{chain::transfer_call{*to, *amount}};
}

template <class Call>
result<chain::call> make_stake(const tx_env& env) {
  auto hot = crypto::parse_public_key(env.f.to);
  if (!hot) return std::move(hot).error().with_context("--hotkey");
  auto amount = parse_tao(env.f.amount);
  if (!amount) return std::move(amount).error().with_context("--amount");
  return chain::call{Call{*hot, *amount}};
}

result<chain::call> make_registration(const tx_env& env) {
  auto hot = env.store.load_hotkey(env.f.wallet, env.f.hotkey);
  if (!hot) return std::move(hot).error();
  auto proof = hot->sign(chain::register_proof_message(env.chain_id, env.signer.public_key()).view());
  return chain::call{chain::register_hotkey_call{hot->public_key(), proof}};
}

}  // namespace

void add_tx_commands(CLI::App& app, int& exit_code) {
  auto* tx = app.add_subcommand("tx", "sign and submit transactions");
  tx->require_subcommand(1);
  auto f = std::make_shared<tx_flags>();
  auto bind = [f, &exit_code](call_maker make) {
    return [f, &exit_code, make] { exit_code = run_tx(*f, signer_kind::coldkey, make); };
  };
  const auto cold = signer_kind::coldkey;
  auto* transfer = add_tx(tx, "transfer", "send TAO to an address", *f, cold);
  transfer->add_option("--to", f->to, "destination address")->required();
  transfer->add_option("--amount", f->amount, "TAO, exact decimal (e.g. 1.5)")->required();
  transfer->callback(bind(make_transfer));

  auto* stake = add_tx(tx, "stake", "stake TAO from the coldkey to a hotkey", *f, cold);
  stake->add_option("--hotkey", f->to, "hotkey address")->required();
  stake->add_option("--amount", f->amount, "TAO")->required();
  stake->callback(bind(make_stake<chain::add_stake_call>));

  auto* unstake = add_tx(tx, "unstake", "move stake back to the coldkey's balance", *f, cold);
  unstake->add_option("--hotkey", f->to, "hotkey address")->required();
  unstake->add_option("--amount", f->amount, "TAO")->required();
  unstake->callback(bind(make_stake<chain::remove_stake_call>));

  auto* reg = add_tx(tx, "register-hotkey", "make the coldkey the owner of one of its wallet's hotkeys",
                     *f, cold);
  reg->add_option("--hotkey", f->hotkey, "hotkey name in the wallet (default: default)");
  reg->callback(bind(make_registration));

  add_subnet_tx_commands(tx, f, exit_code);
}

}  // namespace synod::app
