// Consensus per column (subtensor `weighted_median_col_sparse`; subtensor-economics.md §2.5)
// in time proportional to the weights.
//
// The reference partitions around mid-element pivots, but its answer does not depend on them:
// with C(v) the voters' stake at or below score v (an exact integer sum: normalized stakes never
// saturate), each round keeps the side holding the smallest v with C(v) > minority, and returns
// that v; when no score has C(v) > minority it only ever moves up and returns the largest score.
// So each column is a weighted selection: gathered once per block of columns, narrowed by radix
// histograms of its scores, and finished by sorting the few scores left.
#include <algorithm>
#include <bit>
#include <utility>

#include "csr.hpp"
#include "vector_math.hpp"

namespace synod::consensus::oracle::detail {
namespace {

struct scored {
  std::int64_t value;
  std::int64_t stake;
};

// The smallest value v in `e` with base + (stake of entries <= v) > minority, where the answer is
// known to lie in `e`. Reorders `e`.
std::int64_t select(std::span<scored> e, std::int64_t base, std::int64_t minority) {
  std::int64_t hist[256];
  while (e.size() > 32) {
    std::int64_t lo = e[0].value, hi = e[0].value;
    for (const scored& x : e) {
      lo = std::min(lo, x.value);
      hi = std::max(hi, x.value);
    }
    if (lo == hi) return lo;
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    const int shift = std::max(0, static_cast<int>(std::bit_width(span)) - 8);
    auto bucket = [&](const scored& x) {
      return (static_cast<std::uint64_t>(x.value) - static_cast<std::uint64_t>(lo)) >> shift;
    };
    std::fill(std::begin(hist), std::end(hist), 0);
    for (const scored& x : e) hist[bucket(x)] += x.stake;
    std::uint64_t b = 0;
    while (b < 255 && base + hist[b] <= minority) base += hist[b++];
    std::size_t kept = 0;
    for (const scored& x : e)
      if (bucket(x) == b) e[kept++] = x;
    e = e.first(kept);
  }
  std::sort(e.begin(), e.end(), [](const scored& x, const scored& y) { return x.value < y.value; });
  for (const scored& x : e) {
    base += x.stake;
    if (base > minority) return x.value;
  }
  return e.back().value;  // not reached when the answer lies in `e`
}

// One column's consensus from its non-zero scores plus the zero group.
i32f32 column_median(std::span<scored> e, std::int64_t total, std::int64_t minority) {
  if (e.empty()) return {};
  std::int64_t hi = e[0].value;
  for (const scored& x : e) hi = std::max(hi, x.value);
  if (total <= minority) return i32f32::from_raw(hi);  // no score passes the minority
  return i32f32::from_raw(select(e, 0, minority));
}

struct voters {
  std::vector<std::int64_t> stake;  // by row; 0 for rows that do not vote
  std::size_t count = 0;
  std::int64_t total = 0;
};

voters voting_stake(std::span<const i32f32> stake, std::size_t rows) {
  fixed_vector vs;
  for (std::size_t i = 0; i < rows; ++i)
    if (stake[i] > i32f32{}) vs.push_back(stake[i]);
  normalize(vs);
  voters v;
  v.stake.assign(rows, 0);
  for (std::size_t i = 0, k = 0; i < rows; ++i)
    if (stake[i] > i32f32{}) v.stake[i] = vs[k++].raw();
  v.count = vs.size();
  v.total = sum(vs).raw();
  return v;
}

}  // namespace

std::vector<i32f32> column_medians(std::span<const i32f32> stake, const csr& weights,
                                   std::size_t n, i32f32 kappa) {
  const std::size_t rows = std::min(stake.size(), weights.rows());
  const voters v = voting_stake(stake, rows);
  const std::int64_t minority = (i32f32::from_raw(v.total) - kappa).raw();
  std::vector<std::uint32_t> count(n + 1);  // non-zero scores per column
  std::vector<std::size_t> cursor;          // per voting row: its next entry
  std::vector<std::size_t> voting_rows;
  for (std::size_t i = 0; i < rows; ++i) {
    if (!(stake[i] > i32f32{})) continue;  // a voter whose normalized stake is 0 still votes
    voting_rows.push_back(i);
    cursor.push_back(weights.begin(i));
    for (std::size_t k = weights.begin(i); k < weights.end(i); ++k)
      if (weights.uid[k] < n && weights.value[k] != i32f32{}) ++count[weights.uid[k]];
  }
  std::vector<i32f32> out(n);
  constexpr std::size_t block_entries = std::size_t{1} << 15;
  std::vector<scored> buf;
  std::vector<std::size_t> fill(n + 1);
  std::vector<std::int64_t> listed;
  for (std::size_t c0 = 0; c0 < n;) {
    // Columns [c0, c1) hold about block_entries scores: gathered, they stay in cache.
    std::size_t c1 = c0, size = 0;
    while (c1 < n && (c1 == c0 || size + count[c1] + 1 <= block_entries)) size += count[c1++] + 1;
    buf.resize(size);
    listed.assign(c1 - c0, 0);
    for (std::size_t j = c0, at = 0; j < c1; ++j) {
      fill[j] = at;
      at += count[j] + 1;
    }
    for (std::size_t r = 0; r < voting_rows.size(); ++r) {
      if (r + 4 < voting_rows.size()) {  // each row is its own stream: fetch a few rows ahead
        const std::size_t ahead = cursor[r + 4];
        __builtin_prefetch(weights.uid.data() + ahead);
        for (std::size_t line = 0; line < 4; ++line) __builtin_prefetch(weights.value.data() + ahead + 8 * line);
      }
      const std::size_t i = voting_rows[r], e = weights.end(i);
      const std::int64_t s = v.stake[i];
      std::size_t k = cursor[r];
      for (; k < e && weights.uid[k] < c1; ++k) {
        const std::int64_t x = weights.value[k].raw();
        const std::uint16_t j = weights.uid[k];
        if (x == 0) continue;
        buf[fill[j]++] = {x, s};
        listed[j - c0] += s;
      }
      cursor[r] = k;
    }
    for (std::size_t j = c0, at = 0; j < c1; ++j) {
      std::span<scored> col(buf.data() + at, count[j]);
      at += count[j] + 1;
      if (col.empty()) continue;  // every voter scores 0
      std::size_t len = count[j];
      if (v.count > count[j]) buf[at - 1] = {0, v.total - listed[j - c0]}, ++len;  // the zeros
      out[j] = column_median(std::span<scored>(col.data(), len), v.total, minority);
    }
    c0 = c1;
  }
  return out;
}

}  // namespace synod::consensus::oracle::detail
