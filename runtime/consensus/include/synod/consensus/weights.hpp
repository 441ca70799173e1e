#pragma once
/// How submitted weights are stored: scaled so the largest becomes 65535
/// (subtensor `vec_u16_max_upscale_to_u16`, subtensor-economics.md §4.1). Pure; any thread.

#include <cstdint>
#include <span>
#include <vector>

namespace synod::consensus {

/// `values` max-upscaled with I32F32 arithmetic and rounding to nearest, ties away from zero:
/// [43690, 21845] -> [65535, 32768]. All zeros stay zeros; empty stays empty.
std::vector<std::uint16_t> max_upscale(std::span<const std::uint16_t> values);

}  // namespace synod::consensus
