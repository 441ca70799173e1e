#pragma once
/// The stake-weighted median behind Yuma consensus (subtensor `epoch/math.rs`,
/// `weighted_median` and `weighted_median_col_sparse`; subtensor-economics.md §2.5).
/// weighted_median replicates the reference's partition step for step (mid-element pivot,
/// equal-to-pivot entries dropped, lower side tested first). Its answer does not depend on the
/// pivots, so weighted_median_columns computes the same value by weighted selection
/// (median_columns.cpp gives the argument). Pure; any thread.

#include <span>
#include <vector>

#include "synod/consensus/fixed.hpp"
#include "synod/consensus/sparse.hpp"

namespace synod::consensus {

/// The median of `score` over all indices weighted by `stake`: the largest score s such that the
/// stake at or above s exceeds about `hi - minority`. Returns 0 for empty input.
/// Precondition: stake.size() == score.size().
i32f32 weighted_median(std::span<const i32f32> stake, std::span<const i32f32> score,
                       i32f32 minority, i32f32 lo, i32f32 hi);

/// Consensus of every column 0..n-1 of `weights` (rows = voters, entries with uid >= n ignored):
/// only rows with stake > 0 vote, their stake re-normalized, minority = their total - kappa.
/// Rows pair with stakes by index; the longer of the two is cut to the shorter. Cost grows with
/// n plus the number of entries (times a few radix rounds), not with rows x columns.
/// Precondition: no uid twice in a row.
std::vector<i32f32> weighted_median_columns(std::span<const i32f32> stake,
                                            const fixed_matrix& weights, std::size_t n,
                                            i32f32 kappa);

}  // namespace synod::consensus
