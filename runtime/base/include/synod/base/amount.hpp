#pragma once
/// Token amounts. Every balance on chain is an integer count of rao (u64); 1 TAO = 1e9 rao.
/// No floating point anywhere on this path: parsing and printing are exact decimal.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "synod/base/result.hpp"

namespace synod {

using rao = std::uint64_t;

inline constexpr rao rao_per_tao = 1'000'000'000;
/// The hard cap: 21,000,000 TAO, in rao (fits u64 with room: 2.1e16 < 1.8e19).
inline constexpr rao max_supply = 21'000'000 * rao_per_tao;

/// a + b, or nullopt when the sum does not fit u64.
constexpr std::optional<rao> checked_add(rao a, rao b) noexcept {
  rao s = a + b;
  if (s < a) return std::nullopt;
  return s;
}

/// a - b, or nullopt when b > a.
constexpr std::optional<rao> checked_sub(rao a, rao b) noexcept {
  if (b > a) return std::nullopt;
  return a - b;
}

/// "1.5" for 1,500,000,000 rao: TAO with trailing fractional zeros trimmed.
std::string format_tao(rao amount);

/// Parses a TAO amount ("12", "0.000000001", "1_000.5"; at most 9 fractional digits).
/// Errors: errc::bad_amount (names the text), errc::overflow (more than u64 rao).
result<rao> parse_tao(std::string_view text);

}  // namespace synod
