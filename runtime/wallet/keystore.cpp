// The read side of the keystore: listing, showing and loading keys. Nothing here writes.

#include "synod/wallet/keystore.hpp"

#include <algorithm>
#include <system_error>

#include "coldkey_file.hpp"
#include "files.hpp"
#include "hotkey_file.hpp"
#include "layout.hpp"
#include "synod/crypto/address.hpp"
#include "synod/wallet/errc.hpp"
#include "synod/wallet/names.hpp"

namespace synod::wallet {
namespace {

namespace fs = std::filesystem;
using detail::wallet_layout;

result<crypto::public_key> public_half(result<crypto::keypair> key) {
  if (!key) return std::move(key).error();
  return key->public_key();
}

// Names in `dir` that a wallet or hotkey could have, sorted; missing `dir` gives none.
result<std::vector<std::string>> valid_names_in(const fs::path& dir, bool want_dirs) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return names;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    auto name = it->path().filename().string();
    std::error_code kind_ec;
    if (is_valid_name(name) && it->is_directory(kind_ec) == want_dirs) names.push_back(name);
  }
  if (ec) return detail::io_error("cannot list", dir, ec.value());
  std::sort(names.begin(), names.end());
  return names;
}

bool is_ok(const key_info& k) noexcept { return k.key.has_value(); }

}  // namespace

bool wallet_info::healthy() const noexcept {
  return problems.empty() && is_ok(coldkey) && std::all_of(hotkeys.begin(), hotkeys.end(), is_ok);
}

std::optional<error> wallet_info::first_problem() const {
  if (!problems.empty()) return problems.front();
  if (!is_ok(coldkey)) return coldkey.key.error();
  for (const auto& h : hotkeys)
    if (!is_ok(h)) return h.key.error();
  return std::nullopt;
}

keystore::keystore(keystore_options options) : options_(std::move(options)) {}

fs::path keystore::wallet_dir(std::string_view wallet) const { return options_.root / wallet; }

result<fs::path> keystore::existing_wallet_dir(std::string_view wallet) const {
  SYNOD_TRY(check_name("wallet", wallet));
  auto dir = wallet_dir(wallet);
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return dir;
  return error(errc::not_found, "no wallet " + quoted_name(wallet) + " in " + options_.root.string() +
                                    " (" + dir.string() + " does not exist)");
}

wallet_info keystore::read_wallet(std::string_view wallet) const {
  wallet_layout files{wallet_dir(wallet)};
  wallet_info info{std::string(wallet), files.dir,
                   {"coldkey", detail::read_coldkeypub(files.coldkeypub())}, {}, {}};
  if (!detail::exists(files.coldkey()))
    info.problems.emplace_back(errc::not_found, "wallet " + quoted_name(wallet) +
                                                    " has no coldkey file " +
                                                    files.coldkey().string());
  auto names = valid_names_in(files.hotkeys(), /*want_dirs=*/false);
  if (!names) {
    info.problems.push_back(std::move(names).error());
    return info;
  }
  for (auto& name : *names) {
    auto key = public_half(detail::read_hotkey(files.hotkey(name)));
    info.hotkeys.push_back({std::move(name), std::move(key)});
  }
  return info;
}

result<std::vector<wallet_info>> keystore::list() const {
  auto names = valid_names_in(options_.root, /*want_dirs=*/true);
  if (!names) return std::move(names).error();
  std::vector<wallet_info> out;
  for (const auto& name : *names) out.push_back(read_wallet(name));
  return out;
}

result<wallet_info> keystore::show(std::string_view wallet) const {
  SYNOD_TRY(existing_wallet_dir(wallet));
  return read_wallet(wallet);
}

result<crypto::keypair> keystore::load_coldkey(std::string_view wallet,
                                               std::string_view password) const {
  auto dir = existing_wallet_dir(wallet);
  if (!dir) return std::move(dir).error();
  wallet_layout files{*dir};
  auto key = detail::open_coldkey(files.coldkey(), password);
  if (!key) return std::move(key).error().with_context("wallet " + quoted_name(wallet));
  // The address file is what list/show print and others pay to, so it must agree with the key.
  // Without one the coldkey stands alone (show reports the missing file).
  auto pub = detail::read_coldkeypub(files.coldkeypub());
  if (!pub && pub.error().is(errc::not_found)) return key;
  if (!pub) return std::move(pub).error();
  if (*pub != key->public_key())
    return error(errc::corrupt_file, files.coldkeypub().string() + ": holds " +
                                         crypto::to_ss58(*pub) + " but the coldkey is " +
                                         crypto::to_ss58(key->public_key()));
  return key;
}

result<crypto::keypair> keystore::load_hotkey(std::string_view wallet,
                                              std::string_view hotkey) const {
  auto dir = existing_wallet_dir(wallet);
  if (!dir) return std::move(dir).error();
  SYNOD_TRY(check_name("hotkey", hotkey));
  auto path = wallet_layout{*dir}.hotkey(hotkey);
  auto key = detail::read_hotkey(path);
  if (!key && key.error().is(errc::not_found))
    return error(errc::not_found, "wallet " + quoted_name(wallet) + " has no hotkey " +
                                      quoted_name(hotkey) + " (" + path.string() + " is missing)");
  return key;
}

result<wallet_info> keystore::check(std::string_view wallet, std::string_view password) const {
  auto key = load_coldkey(wallet, password);
  if (!key) return std::move(key).error();
  return read_wallet(wallet);
}

}  // namespace synod::wallet
