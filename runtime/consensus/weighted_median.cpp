#include "synod/consensus/weighted_median.hpp"

#include <algorithm>
#include <cstdint>

#include "vector_math.hpp"

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

namespace {

// One column seen by the voters: the non-zero scores by voter position, ascending. Voters
// without an entry score 0; they always move together (all below, all above or all equal to a
// pivot), so they are kept as one group, which is what makes the median sparse.
struct column_view {
  std::size_t voters = 0;
  std::vector<std::uint32_t> rows;
  std::vector<i32f32> scores;
  i32f32 zero_stake;  // stake of the voters scoring 0
};

// A partition: optionally the zero group, plus listed non-zero voters (ascending).
struct partition {
  bool zeros = false;
  std::vector<std::uint32_t> rows;
  std::vector<i32f32> scores;
};

// The score at position `m` of the partition in voter order, the zero group interleaved.
i32f32 score_at(const column_view& col, const partition& p, std::size_t m) {
  if (!p.zeros) return p.scores[m];
  // Voters in the partition = all voters minus the non-zero ones it lost.
  std::size_t cand = m;
  for (std::size_t a = 0, b = 0; a < col.rows.size(); ++a) {
    while (b < p.rows.size() && p.rows[b] < col.rows[a]) ++b;
    bool kept = b < p.rows.size() && p.rows[b] == col.rows[a];
    if (kept) continue;
    if (col.rows[a] > cand) break;
    ++cand;
  }
  auto it = std::lower_bound(p.rows.begin(), p.rows.end(), static_cast<std::uint32_t>(cand));
  return it != p.rows.end() && *it == cand ? p.scores[static_cast<std::size_t>(it - p.rows.begin())]
                                           : i32f32{};
}

i32f32 column_median(const column_view& col, std::span<const i32f32> stake, i32f32 minority,
                     i32f32 lo, i32f32 hi) {
  if (col.rows.empty()) return {};  // every voter scores 0: the first pivot, 0, is the answer
  const std::size_t zero_count = col.voters - col.rows.size();
  partition part{zero_count > 0, col.rows, col.scores};
  for (std::size_t round = 0; round <= col.voters; ++round) {
    std::size_t len = (part.zeros ? zero_count : 0) + part.rows.size();
    if (len == 0) return {};
    if (len == 1) return part.rows.empty() ? i32f32{} : part.scores[0];
    const i32f32 pivot = score_at(col, part, len / 2);
    partition lower, upper;
    i32f32 lo_stake, hi_stake;
    if (part.zeros && i32f32{} < pivot) {
      lower.zeros = true;
      lo_stake = col.zero_stake;
    } else if (part.zeros && i32f32{} > pivot) {
      upper.zeros = true;
      hi_stake = col.zero_stake;
    }
    for (std::size_t k = 0; k < part.rows.size(); ++k) {
      if (part.scores[k] < pivot) {
        lo_stake = lo_stake + stake[part.rows[k]];
        lower.rows.push_back(part.rows[k]);
        lower.scores.push_back(part.scores[k]);
      } else if (part.scores[k] > pivot) {
        hi_stake = hi_stake + stake[part.rows[k]];
        upper.rows.push_back(part.rows[k]);
        upper.scores.push_back(part.scores[k]);
      }
    }
    const bool lower_any = lower.zeros || !lower.rows.empty();
    const bool upper_any = upper.zeros || !upper.rows.empty();
    if (minority < lo + lo_stake && lower_any) {
      hi = lo + lo_stake;
      part = std::move(lower);
    } else if (hi - hi_stake <= minority && upper_any) {
      lo = hi - hi_stake;
      part = std::move(upper);
    } else {
      return pivot;
    }
  }
  return {};
}

}  // namespace

std::vector<i32f32> weighted_median_columns(std::span<const i32f32> stake,
                                            const fixed_matrix& weights, std::size_t n,
                                            i32f32 kappa) {
  detail::fixed_vector voter_stake;
  std::vector<column_view> cols(n);
  const std::size_t rows = std::min(stake.size(), weights.size());
  std::vector<std::uint32_t> counts(n);  // sizing each column once saves most of the copying
  for (std::size_t i = 0; i < rows; ++i)
    if (stake[i] > i32f32{})
      for (const fixed_entry& e : weights[i])
        if (e.uid < n) ++counts[e.uid];
  for (std::size_t j = 0; j < n; ++j) {
    cols[j].rows.reserve(counts[j]);
    cols[j].scores.reserve(counts[j]);
  }
  for (std::size_t i = 0; i < rows; ++i) {
    if (stake[i] <= i32f32{}) continue;
    auto voter = static_cast<std::uint32_t>(voter_stake.size());
    voter_stake.push_back(stake[i]);
    for (const fixed_entry& e : weights[i]) {
      if (e.uid >= n || e.value == i32f32{}) continue;
      cols[e.uid].rows.push_back(voter);
      cols[e.uid].scores.push_back(e.value);
    }
  }
  detail::normalize(voter_stake);
  const i32f32 total = detail::sum(voter_stake);
  const i32f32 minority = total - kappa;
  std::vector<i32f32> out(n);
  for (std::size_t j = 0; j < n; ++j) {
    column_view& col = cols[j];
    col.voters = voter_stake.size();
    i32f32 listed;
    for (std::uint32_t r : col.rows) listed = listed + voter_stake[r];
    col.zero_stake = total - listed;  // exact: normalized stakes sum to at most 1
    out[j] = column_median(col, voter_stake, minority, i32f32{}, total);
  }
  return out;
}

}  // namespace synod::consensus
