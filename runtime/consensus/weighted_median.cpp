#include "synod/consensus/weighted_median.hpp"

#include <algorithm>
#include <cstdint>

#include "csr.hpp"

namespace synod::consensus {

i32f32 weighted_median(std::span<const i32f32> stake, std::span<const i32f32> score,
                       i32f32 minority, i32f32 lo, i32f32 hi) {
  std::vector<std::size_t> part(stake.size());
  for (std::size_t i = 0; i < part.size(); ++i) part[i] = i;
  // Every round shrinks the partition; the bound only mirrors the reference's safety stop.
  for (std::size_t round = 0; round <= stake.size(); ++round) {
    if (part.empty()) return {};
    if (part.size() == 1) return score[part[0]];
    const i32f32 pivot = score[part[part.size() / 2]];
    std::vector<std::size_t> lower, upper;
    i32f32 lo_stake, hi_stake;
    for (std::size_t i : part) {
      if (score[i] < pivot) {
        lo_stake = lo_stake + stake[i];
        lower.push_back(i);
      } else if (score[i] > pivot) {
        hi_stake = hi_stake + stake[i];
        upper.push_back(i);
      }
    }
    if (minority < lo + lo_stake && !lower.empty()) {
      hi = lo + lo_stake;
      part = std::move(lower);
    } else if (hi - hi_stake <= minority && !upper.empty()) {
      lo = hi - hi_stake;
      part = std::move(upper);
    } else {
      return pivot;
    }
  }
  return {};
}

std::vector<i32f32> weighted_median_columns(std::span<const i32f32> stake,
                                            const fixed_matrix& weights, std::size_t n,
                                            i32f32 kappa) {
  detail::csr m;
  for (const fixed_row& row : weights) {
    for (const fixed_entry& e : row) m.push(e.uid, e.value);
    m.end_row();
  }
  return detail::column_medians(stake, m, n, kappa);
}

}  // namespace synod::consensus
