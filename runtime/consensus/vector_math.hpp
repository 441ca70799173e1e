#pragma once
// Vector and sparse-matrix helpers of the epoch (subtensor `epoch/math.rs`): sums, the
// normalizations and the sparse EMA, each with the library's per-element rounding.
// Sparse rows are kept sorted by uid so two rows merge in one pass.

#include <span>
#include <vector>

#include "synod/consensus/fixed.hpp"
#include "synod/consensus/sparse.hpp"

namespace synod::consensus::detail {

using fixed_vector = std::vector<i32f32>;

/// Saturating sum in index order.
i32f32 sum(std::span<const i32f32> v) noexcept;
/// Each element divided by the sum (truncating); unchanged when the sum is 0.
void normalize(fixed_vector& v) noexcept;
/// Each row divided by its sum; rows whose sum is not positive stay as they are.
void row_normalize(fixed_matrix& m) noexcept;
/// Each column divided by its sum over all rows; columns summing to 0 stay.
void col_normalize(fixed_matrix& m, std::size_t n);
/// Each entry divided by its column maximum; columns whose maximum is 0 stay.
void col_max_upscale(fixed_matrix& m, std::size_t n);
/// Row-wise alpha * fresh + (1 - alpha) * old over the union of columns, keeping entries > 0.
/// Precondition: both matrices have the same number of rows, each row sorted by uid.
fixed_matrix ema_rows(const fixed_matrix& fresh, const fixed_matrix& old, i32f32 alpha);
/// The entry for `uid` in a sorted row, 0 when absent.
i32f32 value_at(const fixed_row& row, std::uint16_t uid) noexcept;

}  // namespace synod::consensus::detail
