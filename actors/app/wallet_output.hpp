#pragma once
// How `synod wallet ...` prints what the keystore returns: aligned text for people, or one JSON
// document on stdout with --json. Damage inside a wallet is printed as data, not as a failure.

#include <filesystem>
#include <string_view>
#include <vector>

#include "synod/wallet/fwd.hpp"

namespace synod::app {

enum class output { text, json };

/// `create`, `show` and `check`: one wallet, under `headline` in text ("" for none).
void print_wallet(const wallet::wallet_info& info, std::string_view headline, output how);

/// `list`: every wallet under `root`.
void print_wallets(const std::vector<wallet::wallet_info>& wallets,
                   const std::filesystem::path& root, output how);

/// `regen-hotkey`: the hotkey just written to `wallet`.
void print_hotkey(std::string_view wallet, const wallet::key_info& key, output how);

}  // namespace synod::app
