#pragma once
/// Byte buffers, views and fixed-size byte arrays (hashes, keys), with hex text forms.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "synod/base/result.hpp"

namespace synod {

using byte_view = std::span<const std::uint8_t>;
using bytes = std::vector<std::uint8_t>;

inline byte_view as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Lexicographic order over anything that views as bytes; transparent, so a
/// std::map<bytes, V, bytes_less> can be searched with a byte_view without copying.
struct bytes_less {
  using is_transparent = void;
  bool operator()(byte_view a, byte_view b) const noexcept {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};

/// Hashing and equality over anything that views as bytes, transparent like bytes_less, so a
/// std::unordered_map<bytes, V, bytes_hash, bytes_equal> can be searched with a byte_view.
/// For lookups only: nothing on the chain path may depend on such a map's iteration order.
struct bytes_hash {
  using is_transparent = void;
  std::size_t operator()(byte_view v) const noexcept {
    return std::hash<std::string_view>{}({reinterpret_cast<const char*>(v.data()), v.size()});
  }
};
struct bytes_equal {
  using is_transparent = void;
  bool operator()(byte_view a, byte_view b) const noexcept {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
};

/// Lower-case hex of `data`.
std::string to_hex(byte_view data);

/// Parses hex (either case, no prefix). Errors: errc::bad_hex naming the first bad position.
result<bytes> from_hex(std::string_view text);

/// A fixed-size byte string: hashes, public keys, signatures. Ordered and hashable by value.
template <std::size_t N>
struct fixed_bytes {
  std::array<std::uint8_t, N> data{};

  static constexpr std::size_t size() noexcept { return N; }
  [[nodiscard]] byte_view view() const noexcept { return {data.data(), N}; }
  [[nodiscard]] std::string hex() const { return to_hex(view()); }
  [[nodiscard]] bool is_zero() const noexcept {
    for (auto b : data) if (b != 0) return false;
    return true;
  }
  friend auto operator<=>(const fixed_bytes&, const fixed_bytes&) = default;

  /// Copies exactly N bytes; errc::bad_hex if `in` has another length.
  static result<fixed_bytes> from_view(byte_view in);
  /// Parses exactly 2N hex digits.
  static result<fixed_bytes> from_hex(std::string_view text);
};

/// std::hash-style hashing of a fixed_bytes, for unordered containers of keys and ids.
struct fixed_bytes_hash {
  template <std::size_t N>
  std::size_t operator()(const fixed_bytes<N>& b) const noexcept {
    return bytes_hash{}(b.view());
  }
};

/// A 32-byte digest (blake2b-256 everywhere in Synod).
using hash32 = fixed_bytes<32>;

}  // namespace synod
