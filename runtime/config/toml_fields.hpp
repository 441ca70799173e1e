#pragma once
// Private to the config component: typed reads of toml++ nodes that report failures as
// config::errc with the source, line, column and key path of the value at fault. Every
// config file reader (genesis now, topology later) shares these, so messages read alike.

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "synod/base/amount.hpp"
#include "synod/base/result.hpp"
#include "synod/config/errc.hpp"
#include "synod/crypto/keys.hpp"

namespace synod::config::detail {

/// Where a node sits: the document's name and the key path from the root
/// ("balances[2].amount"; the root itself has an empty path).
struct place {
  std::string_view source;
  std::string path;

  [[nodiscard]] place key(std::string_view name) const;
  [[nodiscard]] place item(std::size_t index) const;
  /// "<source>:<line>:<column>: <path>" for a node at `where`.
  [[nodiscard]] std::string describe(const toml::source_region& where) const;
};

/// Parses TOML text. Debian's toml++ is built with exceptions, so a syntax error arrives as
/// toml::parse_error; it never leaves this function. Errors: errc::syntax with line:column.
result<toml::table> parse_document(std::string_view text, std::string_view source_name);

/// errc::bad_value "<place>: <why>".
error bad_value(const place& at, const toml::node& n, std::string_view why);

/// Rejects every key of `t` outside `allowed`. Errors: unknown_key naming the key's path and
/// listing the allowed keys.
status only_keys(const toml::table& t, const place& at,
                 std::initializer_list<std::string_view> allowed);

/// The node under `name`, or errc::missing_key naming the path ("balances[0].key").
result<const toml::node*> required(const toml::table& t, const place& at, std::string_view name);

/// Errors for all readers below: bad_value naming the path and the type found.
result<std::string> read_string(const toml::node& n, const place& at);
result<const toml::table*> read_table(const toml::node& n, const place& at);
/// An array whose every element is a table (`[[name]]` in TOML).
result<const toml::array*> read_table_array(const toml::node& n, const place& at);

/// An integer in [0, max]. TOML integers are i64, so negatives need their own check.
result<std::uint64_t> read_uint(const toml::node& n, const place& at, std::uint64_t max);

/// An ed25519 public key as SS58 or 64 hex digits; bad_value carries the crypto message.
result<crypto::public_key> read_public_key(const toml::node& n, const place& at);

/// An amount given either as `tao_key` (an exact decimal TAO string, never a float) or as
/// `rao_key` (an integer of rao), not both. Returns `fallback` when neither is there, or
/// missing_key when `fallback` is empty.
result<rao> read_amount(const toml::table& t, const place& at, std::string_view tao_key,
                        std::string_view rao_key, std::optional<rao> fallback);

}  // namespace synod::config::detail
