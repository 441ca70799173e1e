#include "synod/chain/emission.hpp"

#include <bit>

#include "synod/base/int128.hpp"

namespace synod::chain {

rao block_emission(rao issuance) noexcept {
  if (issuance >= max_supply) return 0;
  constexpr u128 one = u128{1} << 32;  // 1.0 in I96F32
  // I96F32 division truncates: (I / 21e15) has raw value floor(I * 2^32 / 21e15).
  u128 ratio = (u128{issuance} << 32) / max_supply;
  u128 residual = one - ratio;                    // > 0 since issuance < max_supply
  u128 inverse = (one << 32) / residual;          // 1 / residual, truncated; >= 1.0
  // floor(log2(x)) of a fixed-point x >= 1 is the position of its top bit minus 32.
  auto hi = static_cast<std::uint64_t>(inverse >> 64);
  auto lo = static_cast<std::uint64_t>(inverse);
  int top_bit = hi ? 127 - std::countl_zero(hi) : 63 - std::countl_zero(lo);
  int k = top_bit - 32;
  // 1/2^k in I96F32 is raw 2^(32-k) (0 beyond 32 halvings); times 1e9 rao, then floor.
  rao emission = k > 32 ? 0 : (rao_per_tao >> k);
  rao room = max_supply - issuance;
  return emission < room ? emission : room;
}

coinbase_split split_subnet_emission(rao out, std::uint16_t owner_cut, rao root_tao,
                                     std::uint64_t tao_weight, rao alpha_issuance,
                                     bool root_sell) noexcept {
  // U96F32 values as their raw bits (value * 2^32) in 128-bit integers.
  constexpr int frac = 32;
  const u128 one = u128{1} << frac;
  const u128 cut = (u128{owner_cut} << frac) / 65535;             // cut / 65535
  const u128 cut_amount = u128{out} * cut;                        // out * cut, exact
  const u128 r = (u128{out} << frac) - cut_amount;                // out - owner_cut
  const u128 weight = (u128{tao_weight} << frac) / ~std::uint64_t{0};  // tao_weight / (2^64 - 1)
  const u128 root_stake = u128{root_tao} * weight;                // root_tao * w, exact
  const u128 total = root_stake + (u128{alpha_issuance} << frac);
  const u128 root_prop = total == 0 ? 0 : (root_stake << frac) / total;
  const u128 root = (root_prop * r >> frac) * (one / 2) >> frac;  // root_prop * r * 0.5
  const u128 server = r * (one / 2) >> frac;                      // r * 0.5
  const u128 validator = r - server - root;
  coinbase_split s;
  s.owner_cut = static_cast<rao>(cut_amount >> frac);
  s.server = static_cast<rao>(server >> frac);
  s.validator = static_cast<rao>(validator >> frac);
  (root_sell ? s.root_dividends : s.recycled_root) = static_cast<rao>(root >> frac);
  return s;
}

}  // namespace synod::chain
