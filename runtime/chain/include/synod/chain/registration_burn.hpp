#pragma once
/// The price of burned registration into a subnet, exactly as subtensor moves it
/// (subtensor-economics.md §4.6; golden file g15): every block it decays with a half-life, and
/// every registration multiplies it; both are clamped to [min_burn, max_burn]. All Q32 fixed
/// point, each product floored.

#include <cstdint>

#include "synod/base/amount.hpp"

namespace synod::chain {

struct burn_params {
  std::uint32_t half_life = 360;     ///< blocks for the price to halve; 0 = no decay
  /// Factor applied per registration, Q32 (2^32 = 1.0; below 1.0 counts as 1.0). subtensor
  /// holds BurnIncreaseMult as U64F64: for integer factors (every g15 case) the products are
  /// the same; for 1.26 Q32 rounds the factor to 32 fractional bits.
  std::uint64_t increase_mult_q32 = std::uint64_t{2} << 32;
  rao min_burn = 500'000;
  rao max_burn = 100 * rao_per_tao;
};

/// The per-block factor in Q32: the largest f with f^half_life <= 0.5, where the power is
/// taken by squaring with every product floored. 2^32 (no decay) for half_life 0.
std::uint64_t burn_decay_factor_q32(std::uint32_t half_life) noexcept;

/// The price after one block: floor(burn * f / 2^32), clamped.
rao decay_burn(rao burn, const burn_params& p) noexcept;

/// The price after a registration paid `burn`: floor(burn * max(increase_mult, 1.0)), clamped.
rao bump_burn(rao burn, const burn_params& p) noexcept;

}  // namespace synod::chain
