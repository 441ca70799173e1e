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

}  // namespace synod::chain
