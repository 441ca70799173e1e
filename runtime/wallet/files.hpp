#pragma once
// Private to the wallet component: small-file I/O that is atomic and private to the user.
// Every error is a wallet::errc naming the path; errno text comes from the OS.

#include <filesystem>

#include "synod/base/bytes.hpp"
#include "synod/base/result.hpp"

namespace synod::wallet::detail {

namespace fs = std::filesystem;

/// Key files are a few hundred bytes; anything past this is not one of ours.
inline constexpr std::size_t max_key_file_size = 64 * 1024;

/// The whole file. Errors: not_found (missing), corrupt_file (over max_key_file_size),
/// io_error (any other failure).
result<bytes> read_file(const fs::path& path);

enum class write_mode {
  create_new,  ///< fail with already_exists when `path` is there
  replace,     ///< atomically take the place of an existing file
};

/// Writes `data` to a 0600 temporary file beside `path` (its name holds '+', which no wallet
/// or hotkey name may, so listings skip leftovers), fsyncs it, moves it into place and fsyncs
/// the directory: a crash leaves the old file or the new one, never a mix.
status write_file(const fs::path& path, byte_view data, write_mode mode);

/// mkdir with mode 0700; `path` must not exist yet. Errors: already_exists, io_error.
status make_private_dir(const fs::path& path);

/// Creates `path` and any missing parents, each new one 0700; existing ones are left as they
/// are (a user's own choice of mode is theirs). Errors: io_error.
status ensure_dirs(const fs::path& path);

/// Makes a fresh 0700 directory named after `stem` (plus '+' and random letters) in `parent`.
result<fs::path> make_temp_dir(const fs::path& parent, std::string_view stem);

/// Renames directory `from` to `to`, which must not exist or must be empty; fsyncs the parent.
/// Errors: already_exists (`to` is there and not empty), io_error.
status publish_dir(const fs::path& from, const fs::path& to);

/// True when something (file, directory, dangling link) is at `path`.
[[nodiscard]] bool exists(const fs::path& path) noexcept;

/// errc::io_error "<what> <path>: <errno text>".
error io_error(std::string_view what, const fs::path& path, int err);

}  // namespace synod::wallet::detail
