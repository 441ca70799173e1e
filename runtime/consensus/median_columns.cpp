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
#include <type_traits>
#include <utility>

#include "csr.hpp"
#include "epoch_dense_kernels.hpp"
#include "vector_math.hpp"

namespace synod::consensus::detail {
namespace {


// How the gather stores a score with its voter's stake: as they are, for any I32F32 scores...
struct wide_scores {
  using entry = scored;
  static constexpr bool non_negative = false;
  static entry make(std::int64_t x, std::uint32_t /*voter*/, std::int64_t stake) noexcept { return {x, stake}; }
  static std::int64_t value(const entry& x) noexcept { return x.value; }
  std::int64_t stake(const entry& x) const noexcept { return x.stake; }
  entry zeros(std::int64_t stake) const noexcept { return {0, stake}; }
};

// ...or, for scores in [0, 2^32] (every W the epoch builds), as score << 31 | voter in 8 bytes,
// the stake looked up by voter: half the bytes through the cache. Voter zero_voter stands for
// the voters that score 0, its stake set for the column at hand. Order by entry is order by score.
struct packed_scores {
  using entry = std::uint64_t;
  static constexpr bool non_negative = true;
  static constexpr std::uint64_t voter_mask = dense::packed_voter_mask;
  std::int64_t* stakes;  // by voter index, then the zero group's
  std::uint32_t zero_voter;
  static entry make(std::int64_t x, std::uint32_t voter, std::int64_t /*stake*/) noexcept {
    return static_cast<std::uint64_t>(x) << 31 | voter;
  }
  static std::int64_t value(entry k) noexcept { return static_cast<std::int64_t>(k >> 31); }
  std::int64_t stake(entry k) const noexcept { return stakes[k & voter_mask]; }
  entry zeros(std::int64_t stake) const noexcept {
    stakes[zero_voter] = stake;
    return zero_voter;
  }
};

// The smallest value v in `e` with base + (stake of entries <= v) > minority, where the answer is
// known to lie in `e`. Reorders `e` but keeps its entries: the rounds' survivors go to `spare`.
// `top`, when not negative, is the largest value and every value is at least 0: the first
// round's range, without a pass to find it.
template <class S>
std::int64_t select(std::span<typename S::entry> e, const S& scores, std::int64_t base, std::int64_t minority,
                    std::int64_t top, std::vector<typename S::entry>& spare) {
  using entry = typename S::entry;
  if (base > minority) {
    // Every entry passes (a minority below 0: kappa above the voters' total): the smallest.
    // The histograms below would stop at the first bucket, empty or not.
    std::int64_t least = S::value(e[0]);
    for (const entry& x : e) least = std::min(least, S::value(x));
    return least;
  }
  std::int64_t hist[256];
  bool known = top >= 0;
  while (e.size() > 32) {
    // About four entries a bucket: a histogram much wider than the entries costs more to clear
    // and scan than it saves.
    const int bits = std::clamp(static_cast<int>(std::bit_width(e.size())) - 2, 4, 8);
    const std::size_t buckets = std::size_t{1} << bits;
    std::int64_t lo = known ? 0 : S::value(e[0]), hi = known ? top : lo;
    if (!known)
      for (const entry& x : e) {
        lo = std::min(lo, S::value(x));
        hi = std::max(hi, S::value(x));
      }
    known = false;
    if (lo == hi) return lo;
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    const int shift = std::max(0, static_cast<int>(std::bit_width(span)) - bits);
    auto bucket = [&](const entry& x) {
      return (static_cast<std::uint64_t>(S::value(x)) - static_cast<std::uint64_t>(lo)) >> shift;
    };
    std::fill(hist, hist + buckets, 0);
    for (const entry& x : e) hist[bucket(x)] += scores.stake(x);
    std::uint64_t b = 0;
    while (b < buckets - 1 && base + hist[b] <= minority) base += hist[b++];
    // The first round's survivors move out to `spare`, the later ones' stay there.
    if (e.data() != spare.data() && spare.size() < e.size() + dense::filter_bucket_slack)
      spare.resize(e.size() + dense::filter_bucket_slack);
    entry* to = spare.data();
    std::size_t kept = 0;
    if constexpr (std::is_same_v<S, packed_scores>) {  // a kernel, 8 scores a step on AVX-512
      kept = dense::kernels().filter_bucket(e.data(), e.size(), static_cast<std::uint64_t>(lo), shift, b, to);
    } else {
      for (const entry& x : e)
        if (bucket(x) == b) to[kept++] = x;
    }
    e = std::span<entry>(to, kept);
  }
  std::sort(e.begin(), e.end(), [](const entry& x, const entry& y) { return S::value(x) < S::value(y); });
  for (const entry& x : e) {
    base += scores.stake(x);
    if (base > minority) return S::value(x);
  }
  return S::value(e.back());  // not reached when the answer lies in `e`
}

template <class S>
using entry_of = typename S::entry;

// One column's consensus from its non-zero scores plus the zero group.
template <class S>
i32f32 column_median(std::span<typename S::entry> e, const S& scores, std::int64_t total, std::int64_t minority,
                     std::int64_t top, std::vector<typename S::entry>& spare) {
  if (e.empty()) return {};
  if (total > minority) return i32f32::from_raw(select(e, scores, 0, minority, top, spare));
  std::int64_t hi = S::value(e[0]);  // no score passes the minority: the largest
  for (const auto& x : e) hi = std::max(hi, S::value(x));
  return i32f32::from_raw(hi);
}

// The voters (rows with stake > 0) and their stakes re-normalized among themselves, by voter,
// with one more slot (packed_scores' zero group), and their sum.
// `staked`, when given, lists (ascending) the only rows whose stake may be above 0.
void voting_stake(std::span<const i32f32> stake, std::size_t rows, const std::vector<std::uint32_t>* staked,
                  median_scratch& s) {
  fixed_vector& vs = s.voter_stakes;
  vs.clear();
  s.voting_rows.clear();
  auto consider = [&](std::size_t i) {
    if (stake[i] <= i32f32{}) return;
    vs.push_back(stake[i]);
    s.voting_rows.push_back(i);
  };
  if (staked == nullptr) {
    for (std::size_t i = 0; i < rows; ++i) consider(i);
  } else {
    for (std::uint32_t i : *staked)
      if (i < rows) consider(i);
  }
  s.rank_stake.resize(vs.size() + 1);
  for (std::size_t r = 0; r < vs.size(); ++r) s.rank_stake[r] = vs[r].raw();
  s.rank_stake.back() = 0;  // the zero group's: its score is 0 anyway
  normalize(vs);
  s.stake.resize(vs.size() + 1);
  for (std::size_t r = 0; r < vs.size(); ++r) s.stake[r] = vs[r].raw();
  s.total = sum(vs).raw();
}

// One voting row's scores in columns below c1, from entry k on, appended to their columns'
// lists in `to`; returns where the row goes on. `slot` maps a column to its place in `at`
// (where its next score goes) plus 1, or to at[0] for a column left out (its consensus known
// to be 0): a spare entry past the block's lists, written but never advanced. The loop's only
// branch on the data is the rare zero weight: a test of whether a score's column is left out
// (a quarter of a sparse subnet's scores are, in no order a predictor could learn) cost more
// than the scores it spared. The columns' stake sums and tops are taken afterwards from the
// lists: here they were two more stores per score.
template <class S>
std::size_t gather_row(const csr& weights, std::size_t k, std::size_t e, std::size_t c1, std::uint32_t voter,
                       std::int64_t stake, const std::uint32_t* slot, typename S::entry* __restrict to,
                       std::uint32_t* __restrict at) {
  const std::uint16_t* uid = weights.uid.data();
  const i32f32* value = weights.value.data();
  for (; k < e && uid[k] < c1; ++k) {
    const std::int64_t x = value[k].raw();
    if (x == 0) continue;
    const std::uint32_t s = slot[uid[k]];
    const std::uint32_t a = at[s];
    to[a] = S::make(x, voter, stake);
    at[s] = a + (s != 0);
  }
  return k;
}

// The stake a column's scores hold and their largest value (packed scores: [0, top] holds them
// all, the zeros' 0 included; -1 for others, which select ranges itself).
template <class S>
std::pair<std::int64_t, std::int64_t> listed_and_top(std::span<const typename S::entry> e, const S& scores) {
  if constexpr (std::is_same_v<S, packed_scores>) {  // a kernel, 8 scores a step on AVX-512
    std::uint64_t top = 0;
    const std::uint64_t listed = dense::kernels().listed_and_top(e.data(), e.size(), scores.stakes, top);
    return {static_cast<std::int64_t>(listed), static_cast<std::int64_t>(top)};
  }
  std::int64_t listed = 0, top = 0;
  for (const auto& x : e) {
    listed += scores.stake(x);
    top = std::max(top, S::value(x));
  }
  return {listed, S::non_negative ? top : -1};
}

// Gathers the columns in v.gathered (ascending) from the voting rows in blocks that stay in
// cache, and selects each one's median; with `ranks` (packed scores only), each one's rank.
template <class S>
void medians_by_block(const csr& weights, std::size_t n, median_scratch& v, std::int64_t minority,
                      std::span<const std::uint32_t> count, const S& scores, std::vector<entry_of<S>>& buf,
                      std::vector<entry_of<S>>& spare, std::vector<i32f32>& out, std::uint64_t* ranks) {
  using entry = typename S::entry;
  constexpr std::size_t block_bytes = std::size_t{1} << 18;  // half the L2 of this machine's cores
  const std::size_t block_entries = block_bytes / sizeof(entry);
  const std::vector<std::size_t>& voting_rows = v.voting_rows;
  const std::vector<std::uint32_t>& gathered = v.gathered;
  std::vector<std::size_t>& cursor = v.cursor;
  std::vector<std::uint32_t>& at = v.columns;  // the spare, then per gathered column (gather_row)
  at.resize(gathered.size() + 1);
  for (std::size_t q0 = 0; q0 < gathered.size();) {
    // Gathered columns [q0, q1) hold about block_entries scores: they stay in cache.
    std::size_t q1 = q0, size = 0;
    while (q1 < gathered.size() && (q1 == q0 || size + count[gathered[q1]] + 1 <= block_entries)) {
      at[q1 + 1] = static_cast<std::uint32_t>(size);
      size += count[gathered[q1++]] + 1;
    }
    at[0] = static_cast<std::uint32_t>(size);  // the spare: one entry past the lists
    const std::size_t c1 = q1 < gathered.size() ? gathered[q1] : n;  // the block's uids end here
    buf.resize(size + 1);
    for (std::size_t r = 0; r < voting_rows.size(); ++r) {
      if (r + 4 < voting_rows.size()) {  // each row is its own stream: fetch a few rows ahead
        const std::size_t ahead = cursor[r + 4];
        __builtin_prefetch(weights.uid.data() + ahead);
        for (std::size_t line = 0; line < 4; ++line) __builtin_prefetch(weights.value.data() + ahead + 8 * line);
      }
      cursor[r] = gather_row<S>(weights, cursor[r], weights.end(voting_rows[r]), c1, static_cast<std::uint32_t>(r),
                                v.stake[r], v.slot.data(), buf.data(), at.data());
    }
    for (std::size_t q = q0; q < q1; ++q) {
      const std::uint32_t j = gathered[q];
      std::size_t len = count[j];
      entry* col = buf.data() + (at[q + 1] - len);  // at: one past its last score
      const auto [listed, top] = listed_and_top<S>({col, len}, scores);
      if (voting_rows.size() > count[j]) {  // the zeros
        // For packed scores, all above 0, a zero group over the minority makes the median 0.
        if (S::non_negative && v.total - listed > minority) continue;  // its rank is 0 too
        col[len++] = scores.zeros(v.total - listed);
      }
      out[j] = column_median(std::span<entry>(col, len), scores, v.total, minority, top, spare);
      if constexpr (std::is_same_v<entry, std::uint64_t>)
        if (ranks != nullptr)  // the list is whole (select kept it): the zero group adds 0
          ranks[j] = dense::kernels().column_rank(col, len, v.rank_stake.data(), static_cast<std::uint64_t>(out[j].raw()));
    }
    q0 = q1;
  }
}

// Which columns medians_by_block gathers, into v.gathered and v.slot. Those without a non-zero
// score are 0. With packed scores (`zero_least`: every score above 0, the zeros' 0 the least),
// so is a column whose zero group holds more than the minority: total - listed > minority. Its
// listed stake is at most count * (the largest voter stake), so a column with at most `few`
// scores, fewer than the voters, is left out without gathering: on a sparse subnet, most.
void choose_columns(std::span<const std::uint32_t> count, std::size_t n, bool zero_least, std::int64_t minority,
                    median_scratch& v) {
  std::uint64_t few = 0;
  const std::int64_t need = v.total - minority;  // listed stake below this: the zeros pass
  if (zero_least && need > 0 && !v.voting_rows.empty()) {
    const auto top = static_cast<std::uint64_t>(*std::max_element(v.stake.begin(), v.stake.end() - 1));
    few = top == 0 ? ~std::uint64_t{0} : (static_cast<std::uint64_t>(need) - 1) / top;  // few * top < need
    few = std::min<std::uint64_t>(few, v.voting_rows.size() - 1);  // and a zero group to hold it
  }
  // Counts are 32-bit: a `few` past 2^32 - 1 chooses no column, as 2^32 - 1 does.
  const auto few32 = static_cast<std::uint32_t>(std::min<std::uint64_t>(few, ~std::uint32_t{0}));
  v.slot.resize(n);
  // Kept n + slack long, not cut: its first `selected` are the list.
  if (v.chosen.size() < n + dense::choose_columns_slack) v.chosen.resize(n + dense::choose_columns_slack);
  const std::size_t selected = dense::kernels().choose_columns(count.data(), n, few32, v.slot.data(), v.chosen.data());
  v.gathered.assign(v.chosen.data(), v.chosen.data() + selected);
}

}  // namespace

bool column_medians(std::span<const i32f32> stake, const csr& weights, std::size_t n, i32f32 kappa,
                    std::span<const std::uint32_t> counts, median_scratch& v, std::vector<i32f32>& out,
                    const std::vector<std::uint32_t>* staked, std::uint64_t* ranks) {
  const std::size_t rows = std::min(stake.size(), weights.rows());
  voting_stake(stake, rows, staked, v);
  const std::int64_t minority = (i32f32::from_raw(v.total) - kappa).raw();
  const bool counted = counts.size() == n + 1;  // the epoch's W, all in [0, 2^32]
  std::vector<std::uint32_t>& own_count = v.count;  // non-zero scores per column, when not given
  if (!counted) own_count.assign(n + 1, 0);
  bool proportions = true;  // every gathered score in [0, 2^32]: they pack in 8 bytes
  v.cursor.clear();  // per voting row: its next entry
  for (std::size_t i : v.voting_rows) {  // a voter whose normalized stake is 0 still votes
    v.cursor.push_back(weights.begin(i));
    if (counted) continue;
    const std::size_t e = weights.end(i);
    const std::uint16_t* uid = weights.uid.data();
    const i32f32* value = weights.value.data();
    std::uint32_t* per_column = own_count.data();
    for (std::size_t k = weights.begin(i); k < e; ++k) {
      if (uid[k] >= n || value[k] == i32f32{}) continue;  // uids past n are ignored
      ++per_column[uid[k]];
      proportions = proportions && value[k] > i32f32{} && value[k] <= i32f32::one();
    }
  }
  const std::span<const std::uint32_t> count = counted ? counts : std::span<const std::uint32_t>(own_count);
  const bool packed = proportions && v.voting_rows.size() < packed_scores::voter_mask;
  choose_columns(count, n, packed, minority, v);
  if (packed) {
    // Ranks need the stakes in [0, 1] too: then no product passes 2^64.
    const bool ranked = ranks != nullptr && std::all_of(v.rank_stake.begin(), v.rank_stake.end(), [](std::int64_t s) {
      return s <= (std::int64_t{1} << 32);
    });
    const packed_scores scores{v.stake.data(), static_cast<std::uint32_t>(v.voting_rows.size())};
    medians_by_block(weights, n, v, minority, count, scores, v.packed, v.packed_picked, out, ranked ? ranks : nullptr);
    return ranked;
  }
  medians_by_block(weights, n, v, minority, count, wide_scores{}, v.wide, v.wide_picked, out, nullptr);
  return false;
}

std::vector<i32f32> column_medians(std::span<const i32f32> stake, const csr& weights, std::size_t n, i32f32 kappa) {
  median_scratch scratch;
  std::vector<i32f32> out(n);
  column_medians(stake, weights, n, kappa, {}, scratch, out);
  return out;
}

}  // namespace synod::consensus::detail
