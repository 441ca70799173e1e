#include "synod/config/genesis_toml.hpp"

#include <cstdio>

#include "synod/crypto/address.hpp"

namespace synod::config {
namespace {

// A TOML basic string on one line. toml++'s own printer switches to multi-line strings for
// text with newlines; escaping every control character keeps each value on its line.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7f) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", u);
      out.append(esc);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string line(std::string_view key, std::string_view value) {
  std::string out(key);
  return out.append(" = ").append(value).append("\n");
}

// Every parameter is written, defaults too: the file then keeps its chain id even if a later
// release changes chain_params's defaults.
std::string params_table(const chain::chain_params& p) {
  return "[params]\n" + line("fee_base", toml_string(format_tao(p.fee_base))) +
         line("fee_per_byte", toml_string(format_tao(p.fee_per_byte))) +
         line("max_tx_bytes", std::to_string(p.max_tx_bytes)) +
         line("max_block_txs", std::to_string(p.max_block_txs)) +
         line("block_time_ms", std::to_string(p.block_time_ms));
}

std::string key_line(const crypto::public_key& key) {
  return line("key", toml_string(crypto::to_ss58(key)));
}

}  // namespace

std::string genesis_to_toml(const chain::genesis& g) {
  std::string out =
      "# Synod genesis (format: docs/genesis.md). The chain id is a hash of these values:\n"
      "# every node of one chain must start from the same ones.\n";
  out += line("chain_name", toml_string(g.chain_name)) + "\n" + params_table(g.params);
  for (const auto& key : g.authorities) out += "\n[[authorities]]\n" + key_line(key);
  for (const auto& [key, amount] : g.balances)
    out += "\n[[balances]]\n" + key_line(key) + line("amount", toml_string(format_tao(amount)));
  return out;
}

}  // namespace synod::config
