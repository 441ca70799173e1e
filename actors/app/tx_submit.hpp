#pragma once
// What every `synod tx` command shares: its flags, the wallet key that signs, and signing,
// submitting, waiting for the block and printing the outcome.

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client.hpp"
#include "synod/chain/tx.hpp"
#include "synod/wallet/fwd.hpp"

namespace CLI {
class App;
}

namespace synod::app {

/// One set of flags for every tx subcommand; only the running one's are filled.
struct tx_flags : client_flags {
  std::string wallet;
  std::string wallet_path;
  std::string password_file;
  std::string hotkey = "default";  ///< a hotkey name in the wallet (or, where allowed, an address)
  bool wait = false;
  std::string to;      ///< transfer destination; stake and unstake hotkey address
  std::string amount;  ///< TAO, exact decimal
  std::uint16_t netuid = 0;
  std::vector<std::string> params;  ///< subnet-set: NAME=VALUE
  std::vector<std::uint16_t> uids;  ///< set-weights and friends (netuids for root-vote)
  std::vector<std::uint16_t> values;
  std::string version_key;  ///< empty: the subnet's weights_version_key
  std::string salt;
  std::string ip;
  std::uint16_t port = 0;
  std::string protocol = "tcp";
  std::uint32_t axon_version = 0;
  std::string take;  ///< percent
};

/// Which of the wallet's keys signs: the chain fixes it per call (subnet_calls.cpp).
enum class signer_kind { coldkey, hotkey };

/// What a call maker may use.
struct tx_env {
  const tx_flags& f;
  const wallet::keystore& store;
  const crypto::keypair& signer;
  const hash32& chain_id;
  net::gateway_client& client;
};
using call_maker = std::function<result<chain::call>(const tx_env&)>;

struct sent_tx {
  hash32 id;
  std::string call;                     ///< chain::call_name
  std::optional<net::tx_info> landed;   ///< with --wait
  crypto::public_key signer;
  rao balance_before = 0;               ///< the signer's free balance when it signed
};

/// Loads the signing key, makes the call, signs it with the signer's next nonce, submits it
/// and, with --wait, follows it into a block. On any failure prints why (a refusal as
/// "synod: chain.<code>: <message>") and returns nullopt.
std::optional<sent_tx> submit(const tx_flags& f, signer_kind who, net::gateway_client& c,
                              const call_maker& make);

/// Prints what happened; `extra` adds JSON fields, `extra_text` lines after the text.
/// Returns exit_error for a transaction that failed in its block.
int print_outcome(const tx_flags& f, const sent_tx& t, const nlohmann::json& extra = {},
                  const std::string& extra_text = {});

/// Connects, submit()s and print_outcome()s: the whole of most tx commands.
int run_tx(const tx_flags& f, signer_kind who, const call_maker& make);

/// A tx subcommand with the wallet, password (coldkey signers), --hotkey (hotkey signers),
/// --wait and client flags.
CLI::App* add_tx(CLI::App* tx, const char* name, const char* help, tx_flags& f, signer_kind who);

/// The subnet calls (subnet_tx_cmd.cpp), sharing the tx command's flags.
void add_subnet_tx_commands(CLI::App* tx, std::shared_ptr<tx_flags> f, int& exit_code);

/// `f.hotkey` as a key: an SS58 or hex address, else the name of a hotkey in the wallet.
result<crypto::public_key> hotkey_address(const tx_env& env);

}  // namespace synod::app
