#include "synod/chain/registration_burn.hpp"

#include <algorithm>

#include "synod/base/int128.hpp"

namespace synod::chain {
namespace {

constexpr std::uint64_t one_q32 = std::uint64_t{1} << 32;
constexpr std::uint64_t half_q32 = one_q32 / 2;

std::uint64_t mul_q32(std::uint64_t a, std::uint64_t b) noexcept {
  return static_cast<std::uint64_t>((u128{a} * b) >> 32);
}

std::uint64_t pow_q32(std::uint64_t base, std::uint32_t exp) noexcept {
  std::uint64_t result = one_q32;
  while (exp) {
    if (exp & 1) result = mul_q32(result, base);
    base = mul_q32(base, base);
    exp >>= 1;
  }
  return result;
}

rao clamp(u128 v, const burn_params& p) noexcept {
  u128 hi = std::max(p.max_burn, p.min_burn);
  return static_cast<rao>(std::clamp<u128>(v, p.min_burn, hi));
}

}  // namespace

std::uint64_t burn_decay_factor_q32(std::uint32_t half_life) noexcept {
  if (half_life == 0) return one_q32;
  // f^h is monotone in f, so binary search the largest f in [0, 2^32) with f^h <= 0.5.
  std::uint64_t lo = 0, hi = one_q32 - 1;
  while (lo < hi) {
    std::uint64_t mid = lo + (hi - lo + 1) / 2;
    if (pow_q32(mid, half_life) <= half_q32)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

rao decay_burn(rao burn, const burn_params& p) noexcept {
  return clamp((u128{burn} * burn_decay_factor_q32(p.half_life)) >> 32, p);
}

rao bump_burn(rao burn, const burn_params& p) noexcept {
  return clamp((u128{burn} * std::max(p.increase_mult_q32, one_q32)) >> 32, p);
}

}  // namespace synod::chain
