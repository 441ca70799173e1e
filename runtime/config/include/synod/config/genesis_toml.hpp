#pragma once
/// Genesis files: TOML text <-> chain::genesis. The format is written down in docs/genesis.md.
/// All functions are pure apart from load_genesis's one read, keep no state, and may be called
/// from any thread.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "synod/base/result.hpp"
#include "synod/chain/genesis.hpp"

namespace synod::config {

/// load_genesis refuses larger files: the TOML tree takes several times the text in memory,
/// and 64 MiB already holds over half a million balances.
inline constexpr std::size_t max_genesis_file_size = 64 * 1024 * 1024;

/// Parses a genesis file's text. `source_name` (a path, or "<stdin>") starts every message.
/// Every key is checked: unknown ones are rejected so that a typo cannot silently leave a
/// parameter at its default. A genesis that parses is then put through chain::check_genesis.
/// Errors (config::errc unless noted):
///   syntax       not TOML; "<source>:<line>:<column>: <toml++'s description>"
///   unknown_key  a key the format does not have, named with its path ("params.fee_bas")
///   missing_key  chain_name, a key, or an amount is absent
///   bad_value    wrong type, negative or out-of-range integer, bad address (with the crypto
///                message), bad TAO amount (with the base message), an amount given twice
///   chain::errc::bad_genesis  from check_genesis, its message prefixed with `source_name`
result<chain::genesis> parse_genesis(std::string_view toml_text, std::string_view source_name);

/// Reads `path` and parses it with parse_genesis, the path as source name.
/// Errors: not_found (no file at `path`), io_error (cannot open or read, e.g. a directory),
/// too_large (over max_genesis_file_size), then whatever parse_genesis returns.
result<chain::genesis> load_genesis(const std::filesystem::path& path);

/// The genesis in the format parse_genesis reads: keys as SS58, amounts as exact TAO strings,
/// every parameter written out. parse_genesis(genesis_to_toml(g), ...) gives a genesis with
/// the same chain_id as `g`. An unsound `g` is written as it is and rejected when read back,
/// as is a chain name that is not UTF-8 (TOML text must be).
std::string genesis_to_toml(const chain::genesis& g);

}  // namespace synod::config
