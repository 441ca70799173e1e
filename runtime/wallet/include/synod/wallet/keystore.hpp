#pragma once
/// Wallets on disk: one encrypted coldkey and any number of plain hotkeys per wallet, under a
/// root directory the caller chooses (the CLI defaults it to ~/.synod/wallets).
///
///   <root>/<wallet>/coldkey           the coldkey's 32-byte seed, sealed with Argon2id +
///                                     XSalsa20-Poly1305 (crypto/password_box.hpp)
///   <root>/<wallet>/coldkeypub.txt    the coldkey's SS58 address, so reading needs no password
///   <root>/<wallet>/hotkeys/<hotkey>  a plain, versioned JSON file holding the hotkey's seed
///
/// Directories are made 0700 and files 0600. Every write goes to a temporary file that is
/// fsynced and then renamed into place, so a crash never leaves half a key. A coldkey is never
/// overwritten; a hotkey only when the caller says so. Reads never write: a wrong password or a
/// damaged file leaves every file exactly as it was.
///
/// A keystore holds only its options, so any thread may use one, and several may share a root.
/// Two processes creating the same wallet at once: one wins, the other gets already_exists.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synod/base/result.hpp"
#include "synod/crypto/keys.hpp"
#include "synod/crypto/password_box.hpp"
#include "synod/wallet/fwd.hpp"

namespace synod::wallet {

struct keystore_options {
  /// Directory holding one subdirectory per wallet; created (0700) on the first wallet.
  std::filesystem::path root;
  /// Argon2id cost for new coldkeys. Opening uses the cost stored in the file, so this may
  /// change at any time. `minimal` exists for tests only: it protects almost nothing.
  crypto::kdf_strength kdf = crypto::kdf_strength::moderate;
};

/// One key of a wallet as read from disk without a password: its public half, or why not.
struct key_info {
  std::string name;               ///< hotkey name; "coldkey" for the coldkey
  result<crypto::public_key> key;  ///< the public key, or the error reading it
};

/// What a wallet holds, read without a password. Damage shows up here as errors, not a failure
/// of the whole read, so one broken file never hides the rest.
struct wallet_info {
  std::string name;
  std::filesystem::path dir;
  key_info coldkey;              ///< address from coldkeypub.txt
  std::vector<key_info> hotkeys;  ///< sorted by name
  std::vector<error> problems;   ///< wallet-level: coldkey file missing, hotkeys unreadable

  /// True when the coldkey address, every hotkey and the wallet itself read without error.
  [[nodiscard]] bool healthy() const noexcept;
  /// The first error among `problems`, the coldkey and the hotkeys, if any.
  [[nodiscard]] std::optional<error> first_problem() const;
};

/// What regen_hotkey does when the hotkey file is already there.
enum class if_exists { fail, overwrite };

class keystore {
 public:
  explicit keystore(keystore_options options);

  [[nodiscard]] const keystore_options& options() const noexcept { return options_; }
  [[nodiscard]] std::filesystem::path wallet_dir(std::string_view wallet) const;

  /// ok() when create(wallet, ..., hotkey) would get past its name and existence checks, so
  /// a caller can fail before asking for a password. Errors: bad_name, already_exists.
  status can_create(std::string_view wallet, std::string_view hotkey = "default") const;

  /// Makes wallet `wallet` with a fresh coldkey sealed under `password` and a fresh hotkey
  /// `hotkey`. All or nothing: the files are built in a temporary directory that is renamed
  /// into place last. Errors: bad_name, already_exists (nothing written), io_error,
  /// crypto::errc::kdf_failed.
  result<wallet_info> create(std::string_view wallet, std::string_view password,
                             std::string_view hotkey = "default") const;

  /// Every wallet under the root, sorted by name; a missing root is an empty list. Entries
  /// whose names no wallet could have (temporary files, strays) are skipped. Errors: io_error
  /// when the root cannot be listed.
  result<std::vector<wallet_info>> list() const;

  /// One wallet's addresses, no password needed. Errors: bad_name, not_found.
  result<wallet_info> show(std::string_view wallet) const;

  /// Decrypts the coldkey and checks it against coldkeypub.txt. Errors: bad_name, not_found,
  /// wrong_password, corrupt_file (coldkey damaged, or coldkeypub.txt disagrees with it),
  /// io_error, crypto::errc::kdf_failed. Each names the file.
  result<crypto::keypair> load_coldkey(std::string_view wallet, std::string_view password) const;

  /// Reads a hotkey and checks that its seed derives its stored public key. Errors: bad_name,
  /// not_found, corrupt_file, io_error.
  result<crypto::keypair> load_hotkey(std::string_view wallet, std::string_view hotkey) const;

  /// Writes hotkey `hotkey` of an existing wallet: a fresh key, or the one `seed` derives (to
  /// restore a hotkey). Errors: bad_name, not_found (no such wallet), already_exists (the
  /// hotkey is there and `when_exists` is fail; nothing written), io_error.
  result<key_info> regen_hotkey(std::string_view wallet, std::string_view hotkey,
                                const std::optional<crypto::seed>& seed,
                                if_exists when_exists) const;

  /// load_coldkey, then show: the way a user tests a password. A broken hotkey is reported in
  /// the result (see wallet_info::healthy), not as an error. Errors: those of load_coldkey.
  result<wallet_info> check(std::string_view wallet, std::string_view password) const;

 private:
  result<std::filesystem::path> existing_wallet_dir(std::string_view wallet) const;
  wallet_info read_wallet(std::string_view wallet) const;

  keystore_options options_;
};

}  // namespace synod::wallet
