#include "wallet_output.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "synod/crypto/address.hpp"
#include "synod/wallet/keystore.hpp"

namespace synod::app {
namespace {

using json = nlohmann::json;

json key_json(const wallet::key_info& k) {
  json out = {{"name", k.name}};
  if (k.key) {
    out["ss58"] = crypto::to_ss58(*k.key);
    out["public_key"] = k.key->hex();
  } else {
    out["error"] = k.key.error().to_string();
  }
  return out;
}

json wallet_json(const wallet::wallet_info& w) {
  json hotkeys = json::array();
  for (const auto& h : w.hotkeys) hotkeys.push_back(key_json(h));
  json problems = json::array();
  for (const auto& p : w.problems) problems.push_back(p.to_string());
  return {{"name", w.name},       {"path", w.dir.string()},   {"coldkey", key_json(w.coldkey)},
          {"hotkeys", hotkeys},   {"problems", problems},     {"healthy", w.healthy()}};
}

// Paths and messages may hold bytes that are not UTF-8; replace them rather than throw.
void put_json(const json& doc) {
  auto text = doc.dump(2, ' ', false, json::error_handler_t::replace);
  std::printf("%s\n", text.c_str());
}

std::string address_or_error(const wallet::key_info& k) {
  return k.key ? crypto::to_ss58(*k.key) : "! " + k.key.error().to_string();
}

void put_row(std::string_view label, std::string_view name, const std::string& value) {
  std::printf("  %-8.*s %-16.*s %s\n", static_cast<int>(label.size()), label.data(),
              static_cast<int>(name.size()), name.data(), value.c_str());
}

void put_wallet_text(const wallet::wallet_info& w) {
  std::printf("%s  (%s)\n", w.name.c_str(), w.dir.c_str());
  put_row("coldkey", "", address_or_error(w.coldkey));
  for (const auto& h : w.hotkeys) put_row("hotkey", h.name, address_or_error(h));
  if (w.hotkeys.empty()) put_row("hotkey", "", "(none)");
  for (const auto& p : w.problems) put_row("problem", "", "! " + p.to_string());
}

}  // namespace

void print_wallet(const wallet::wallet_info& info, std::string_view headline, output how) {
  if (how == output::json) return put_json(wallet_json(info));
  if (!headline.empty()) std::printf("%.*s\n", static_cast<int>(headline.size()), headline.data());
  put_wallet_text(info);
}

void print_wallets(const std::vector<wallet::wallet_info>& wallets,
                   const std::filesystem::path& root, output how) {
  if (how == output::json) {
    json list = json::array();
    for (const auto& w : wallets) list.push_back(wallet_json(w));
    return put_json({{"root", root.string()}, {"wallets", list}});
  }
  if (wallets.empty()) std::printf("no wallets in %s\n", root.c_str());
  for (std::size_t i = 0; i < wallets.size(); ++i) {
    if (i > 0) std::printf("\n");
    put_wallet_text(wallets[i]);
  }
}

void print_hotkey(std::string_view wallet, const wallet::key_info& key, output how) {
  if (how == output::json) return put_json({{"wallet", wallet}, {"hotkey", key_json(key)}});
  std::printf("wrote hotkey '%s' of wallet '%.*s'\n", key.name.c_str(),
              static_cast<int>(wallet.size()), wallet.data());
  put_row("hotkey", key.name, address_or_error(key));
}

}  // namespace synod::app
