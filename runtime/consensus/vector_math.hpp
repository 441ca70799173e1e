#pragma once
// Vector helpers of the epoch (subtensor `epoch/math.rs`): sums and normalization with the
// library's per-element rounding. The matrix passes live with the steps, fused (csr.hpp).

#include <cstdint>
#include <span>
#include <vector>

#include "synod/consensus/fixed.hpp"

namespace synod::consensus::detail {

using fixed_vector = std::vector<i32f32>;

/// Saturating sum in index order.
i32f32 sum(std::span<const i32f32> v) noexcept;
/// Each element divided by the sum (truncating); unchanged when the sum is 0.
void normalize(fixed_vector& v) noexcept;
/// normalize of the I32F32 values with these raws, written to `out`. Precondition: the raws
/// sum to less than 2^63 (no I32F32 sum saturates).
void normalize(std::span<const std::uint64_t> raws, fixed_vector& out);
/// The two above for vectors whose values are 0 outside `nonzero` (ascending indices): the
/// same results, in time proportional to the list. The second's `out` holds raws.size() zeros
/// on entry (its caller clears it, as a step that knows where it wrote last).
void normalize(fixed_vector& v, std::span<const std::uint32_t> nonzero) noexcept;
void normalize(std::span<const std::uint64_t> raws, std::span<const std::uint32_t> nonzero, fixed_vector& out);

}  // namespace synod::consensus::detail
