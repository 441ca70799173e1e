// The write side of the keystore: new wallets and hotkeys. Each write is atomic (files.hpp).

#include <system_error>

#include "coldkey_file.hpp"
#include "files.hpp"
#include "hotkey_file.hpp"
#include "layout.hpp"
#include "synod/wallet/errc.hpp"
#include "synod/wallet/keystore.hpp"
#include "synod/wallet/names.hpp"
#include "wiped.hpp"

namespace synod::wallet {
namespace {

namespace fs = std::filesystem;
using detail::wallet_layout;
using detail::write_mode;

status write_hotkey(const fs::path& path, const crypto::keypair& key, write_mode mode) {
  detail::wiped<bytes> text(detail::encode_hotkey(key));
  return detail::write_file(path, text.value, mode);
}

// Fills a fresh directory with a whole wallet. The hotkeys directory comes first so that the
// later writes into `files.dir` also make its entry durable (each write fsyncs its directory).
status fill_wallet(const wallet_layout& files, byte_view sealed_coldkey,
                   const crypto::public_key& coldkey, std::string_view hotkey_name,
                   const crypto::keypair& hotkey) {
  SYNOD_TRY(detail::make_private_dir(files.hotkeys()));
  SYNOD_TRY(write_hotkey(files.hotkey(hotkey_name), hotkey, write_mode::create_new));
  SYNOD_TRY(detail::write_file(files.coldkey(), sealed_coldkey, write_mode::create_new));
  return detail::write_file(files.coldkeypub(), detail::coldkeypub_text(coldkey),
                            write_mode::create_new);
}

error wallet_exists(std::string_view wallet, const fs::path& dir) {
  return error(errc::already_exists, "wallet " + quoted_name(wallet) + " already exists at " +
                                         dir.string() + "; nothing was changed");
}

}  // namespace

status keystore::can_create(std::string_view wallet, std::string_view hotkey) const {
  SYNOD_TRY(check_name("wallet", wallet));
  SYNOD_TRY(check_name("hotkey", hotkey));
  if (detail::exists(wallet_dir(wallet))) return wallet_exists(wallet, wallet_dir(wallet));
  return ok();
}

result<wallet_info> keystore::create(std::string_view wallet, std::string_view password,
                                     std::string_view hotkey) const {
  SYNOD_TRY(can_create(wallet, hotkey));  // before the slow KDF
  auto dir = wallet_dir(wallet);
  SYNOD_TRY(detail::ensure_dirs(options_.root));

  auto coldkey = crypto::keypair::generate();
  auto sealed = detail::seal_coldkey(coldkey.seed(), password, options_.kdf);
  if (!sealed) return std::move(sealed).error();
  auto hot = crypto::keypair::generate();

  auto tmp = detail::make_temp_dir(options_.root, wallet);
  if (!tmp) return std::move(tmp).error();
  status made = fill_wallet(wallet_layout{*tmp}, *sealed, coldkey.public_key(), hotkey, hot);
  if (made) made = detail::publish_dir(*tmp, dir);
  if (!made) {
    std::error_code ignored;  // best effort: the error below is the one worth reporting
    fs::remove_all(*tmp, ignored);
    if (made.error().is(errc::already_exists)) return wallet_exists(wallet, dir);
    return std::move(made).error();
  }
  return wallet_info{std::string(wallet), dir, {"coldkey", coldkey.public_key()},
                     {{std::string(hotkey), hot.public_key()}}, {}};
}

result<key_info> keystore::regen_hotkey(std::string_view wallet, std::string_view hotkey,
                                        const std::optional<crypto::seed>& seed,
                                        if_exists when_exists) const {
  auto dir = existing_wallet_dir(wallet);
  if (!dir) return std::move(dir).error();
  SYNOD_TRY(check_name("hotkey", hotkey));
  wallet_layout files{*dir};
  auto made_dir = detail::make_private_dir(files.hotkeys());
  if (!made_dir && !made_dir.error().is(errc::already_exists)) return std::move(made_dir).error();

  auto key = seed ? crypto::keypair::from_seed(*seed) : crypto::keypair::generate();
  auto mode = when_exists == if_exists::overwrite ? write_mode::replace : write_mode::create_new;
  auto written = write_hotkey(files.hotkey(hotkey), key, mode);
  if (!written && written.error().is(errc::already_exists))
    return error(errc::already_exists, "wallet " + quoted_name(wallet) + " already has hotkey " +
                                           quoted_name(hotkey) + " at " +
                                           files.hotkey(hotkey).string() +
                                           "; it was left as it is");
  if (!written) return std::move(written).error();
  return key_info{std::string(hotkey), key.public_key()};
}

}  // namespace synod::wallet
