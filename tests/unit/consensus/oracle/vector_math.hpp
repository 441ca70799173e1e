#pragma once
// Vector helpers of the epoch (subtensor `epoch/math.rs`): sums and normalization with the
// library's per-element rounding. The matrix passes live with the steps, fused (csr.hpp).

#include <span>
#include <vector>

#include "synod/consensus/fixed.hpp"

namespace synod::consensus::oracle::detail {

using fixed_vector = std::vector<i32f32>;

/// Saturating sum in index order.
i32f32 sum(std::span<const i32f32> v) noexcept;
/// Each element divided by the sum (truncating); unchanged when the sum is 0.
void normalize(fixed_vector& v) noexcept;

}  // namespace synod::consensus::oracle::detail
