// Yuma 2 on dense weights (subtensor-economics.md §2.4-2.8): the usual shape of a subnet whose
// validators all score every uid. The results are those of the compressed-row steps, bit for
// bit; the work runs over one matrix of 32-bit values per validator row (W, then W~ * A, then
// the bond EMA, each overwriting the last) instead of merging (uid, value) lists, so its loops
// are plain array passes the compiler vectorizes (epoch_dense_kernels.inc).
//
// It applies (dense_rows, old_column_sums) when: Yuma 2; stakes are proportions; the EMA rate
// lies strictly between 0 and 1; every row holding a permit either names every uid, in order,
// and masks none but its own, or holds no weights and no bonds; no other row holds bonds; old
// bond columns sum below 2^31. Then, as in epoch_bonds_fast.cpp, every value lies in [0, 2^32]
// and every division is a share_divider's. Only a few values can reach 2^32 (a column's sole
// holder), which the loops pick out. A weight that would normalize to 2^32 (a row with one
// non-zero weight) or an EMA entry of 2^32 does not fit the matrix: the epoch goes back to the
// compressed-row steps, which recompute everything this path wrote.
#include <algorithm>
#include <atomic>
#include <bit>
#include <string_view>
#include <cstring>

#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace {

using u32 = std::uint32_t;
using u64 = std::uint64_t;
constexpr u64 one = u64{1} << 32;

// A voter of the median with a dense row: the row, its re-normalized stake, and what one of
// its scores adds to a histogram bucket (dense_medians).
struct dense_voter {
  const u32* row;
  std::int64_t stake;
  u64 add;
};

// The median works on blocks of this many columns: a cache line of each row, one 512-bit
// vector of scores, and histograms that fit L1.
constexpr std::size_t median_block = 16;  // lane_bits folds exactly 16 lanes

// A block's scores as one vector (GCC's vector extension: one register with AVX-512, two
// with AVX2, four with SSE2).
using block_u32 = u32 __attribute__((vector_size(median_block * sizeof(u32))));

// One instruction set's kernels (epoch_dense_kernels.inc).
struct kernel_set {
  void (*median_histogram)(const dense_voter*, std::size_t, std::size_t, const u32*, const u32*, const u32*, u64*);
  void (*median_pick)(const dense_voter*, std::size_t, std::size_t, const u32*, const u32*,
                      std::pair<u32, std::int64_t>*, std::size_t*);
  u64 (*row_total)(const u16_entry*, std::size_t);
  u64 (*normalize_span)(const u16_entry*, u32*, std::size_t, std::size_t, bool, u64, u64, u32*, bool);
  u64 (*clip_row_only)(u32*, const u32*, std::size_t, u64, u64, u64*, u64*);
  u64 (*clip_row_penalty)(u32*, const u32*, std::size_t, u64, u64, u64*, u64*);
  u64 (*ema_row)(u32*, const u32*, std::size_t, u64, const u64*, const u64*, const u64*, const u64*, u64*, u32*);
  u64 (*share_row_stored)(const u32*, std::size_t, const u64*, const u64*, const u64*, const u64*, const u64*, u32*,
                          std::size_t&);
  u64 (*share_row)(const u32*, std::size_t, const u64*, const u64*, const u64*, const u64*, const u64*, u32*,
                   std::size_t&);
};

// The kernels, compiled three times. AVX-512DQ's 64-bit vector multiplication makes that copy
// about three times faster than the AVX2 one (which builds each from three 32-bit ones), and
// that one about 1.6 times faster than plain 64-bit code (measured on ema_row, Zen 4).
namespace base {
#include "epoch_dense_kernels.inc"
}  // namespace base
#pragma GCC push_options
#pragma GCC target("avx2")
namespace avx2 {
#include "epoch_dense_kernels.inc"
}  // namespace avx2
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw")
namespace avx512 {
#include "epoch_dense_kernels.inc"
}  // namespace avx512
#pragma GCC pop_options

bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
}

// The set this CPU runs best, unless use_dense_kernels chose another.
std::atomic<const kernel_set*> forced_kernels{nullptr};

const kernel_set& kernels() {
  if (const kernel_set* k = forced_kernels.load(std::memory_order_relaxed)) return *k;
  static const kernel_set best = has_avx512()                   ? avx512::make_kernels()
                                 : __builtin_cpu_supports("avx2") ? avx2::make_kernels()
                                                                  : base::make_kernels();
  return best;
}

// §2.4 steps 2-5, hoisted as in epoch_weights.cpp: the weight i -> j survives when j registered
// before this block and (unless i owns the subnet) j != i.
std::uint64_t registration_limit(const epoch_input& in, std::size_t i) {
  std::uint64_t limit = in.last_update[i];
  if (!in.first_commit_block.empty() && in.first_commit_block[i] &&
      *in.first_commit_block[i] != ~std::uint64_t{0})
    limit = std::min(limit, *in.first_commit_block[i] + 1);
  return limit;
}

// Whether the epoch has the dense path's shape (see the top of the file) as far as its rows
// go; fills d.rows when it does. Stops at the first row that rules it out: on a sparse subnet,
// the first validator's.
bool dense_rows(const epoch_input& in, const epoch_state& st, dense_scratch& d) {
  const std::size_t n = st.n;
  if (in.params.yuma3 || n == 0) return false;
  const auto rate = static_cast<u64>(bonds_ema_rate(in.params.bonds_moving_average).raw());
  if (rate == 0 || rate >= one) return false;
  d.rows.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const u16_row& w = in.weights[i];
    if (!st.permit_old[i] || w.empty()) {
      if (!in.bonds[i].empty()) return false;  // bonds outside the dense rows
      continue;
    }
    if (w.size() != n || !st.weights_ascending[i] || w.back().uid != n - 1) return false;
    d.rows.push_back(static_cast<u32>(i));
  }
  if (d.rows.empty()) return false;
  for (const i32f32 s : st.active_stake)
    if (s < i32f32{} || s > i32f32::one()) return false;
  const std::uint64_t latest = *std::max_element(in.registered_at.begin(), in.registered_at.end());
  return std::all_of(d.rows.begin(), d.rows.end(),
                     [&](u32 i) { return latest < registration_limit(in, i); });  // no registration mask
}

// Whether every old bond of row i counts: none to a uid past n (the row ascends) or registered
// since the previous epoch. Then a loop over the row needs no test per entry.
bool all_kept(const epoch_input& in, const old_bonds& old, std::size_t i) {
  const u16_row& row = in.bonds[i];
  return old.all_kept() && (row.empty() || row.back().uid < in.stake.size()) && old.ascending(i);
}

// The old bonds' integer column sums into d.old_sums; false when one reaches 2^31.
bool old_column_sums(const epoch_input& in, const old_bonds& old, dense_scratch& d) {
  d.old_sums.assign(in.stake.size(), 0);
  u64* sums = d.old_sums.data();
  for (u32 i : d.rows) {
    const u16_row& row = in.bonds[i];
    if (all_kept(in, old, i))
      for (const u16_entry& e : row) sums[e.uid] += e.value;
    else
      for (const u16_entry& e : row)
        if (old.kept(e.uid)) sums[e.uid] += e.value;  // kept() is false past n
  }
  return std::all_of(d.old_sums.begin(), d.old_sums.end(), [](u64 t) { return t < (u64{1} << 31); });
}

// --- The steps. ---

void set_divisor(u64* hi, u64* lo, std::size_t j, u64 d) {
  const share_divider s(d);
  hi[j] = s.magic_hi();
  lo[j] = s.magic_lo();
}

// §2.4: W of every dense row. False when a row has a single non-zero weight (its W is 2^32).
bool normalize_rows(const epoch_input& in, const epoch_state& st, dense_scratch& d) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n;
  d.matrix.resize(d.rows.size() * n);  // every value is written: no clearing
  d.top.assign(n, 0);
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    const u32 i = d.rows[r];
    const u16_entry* w = in.weights[i].data();
    const bool masks_self = !(in.owner_uid && *in.owner_uid == i);  // only the owner may weight itself
    const u64 total = k.row_total(w, n) - (masks_self ? w[i].value : 0);
    const bool saturated = total >= (u64{1} << 31);  // as row_normalizer in epoch_weights.cpp
    const share_divider by(saturated ? 0 : total);
    u32* to = d.matrix.data() + r * n;
    const bool votes = st.active_stake[i] > i32f32{};
    u64 whole = 0;
    if (masks_self) {
      whole |= k.normalize_span(w, to, 0, i, saturated, by.magic_hi(), by.magic_lo(), d.top.data(), votes);
      to[i] = 0;
      whole |= k.normalize_span(w, to, i + 1, n, saturated, by.magic_hi(), by.magic_lo(), d.top.data(), votes);
    } else {
      whole |= k.normalize_span(w, to, 0, n, saturated, by.magic_hi(), by.magic_lo(), d.top.data(), votes);
    }
    if (whole != 0) return false;
  }
  return true;
}

// The median's candidates of one column by score: usually a handful, which an insertion sort
// orders faster than std::sort sets up.
void sort_by_score(std::pair<u32, std::int64_t>* b, std::pair<u32, std::int64_t>* e) {
  if (e - b > 16) {
    std::sort(b, e, [](const auto& x, const auto& y) { return x.first < y.first; });
    return;
  }
  for (auto* i = b + (b != e); i < e; ++i) {
    const auto x = *i;
    auto* j = i;
    for (; j > b && j[-1].first > x.first; --j) *j = j[-1];
    *j = x;
  }
}

// §2.5: C per column, the smallest score at which the voters' stake at or below it passes the
// minority (median_columns.cpp explains why that is the reference's answer). Per block of
// columns, one pass over the voters' rows makes a histogram of each column's scores by their
// top bits (stake and count per bucket), which names the bucket holding the answer; a second
// pass picks that bucket's scores, and sorting those few finishes the column.
void dense_medians(const epoch_input& in, epoch_state& st, dense_scratch& d) {
  const std::size_t n = st.n;
  // The voters (stake > 0) and their stakes re-normalized among themselves, as voting_stake.
  fixed_vector voter_stakes;
  std::vector<std::pair<const u32*, std::int64_t>> voters;  // the dense ones: row and stake
  std::size_t r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (!(st.active_stake[i] > i32f32{})) continue;
    voter_stakes.push_back(st.active_stake[i]);
    const bool dense = r < d.rows.size() && d.rows[r] == i;
    voters.emplace_back(dense ? d.matrix.data() + r * n : nullptr, 0);
  }
  normalize(voter_stakes);
  const std::int64_t total = sum(voter_stakes).raw();
  const std::int64_t minority =
      (i32f32::from_raw(total) - i32f32::from_u16_proportion(in.params.kappa)).raw();
  const std::size_t voter_count = voters.size();
  // Voters without a row score 0 in every column: the zero group starts with them.
  std::int64_t rowless_stake = 0;
  std::size_t rowless = 0;
  for (std::size_t k = 0; k < voters.size(); ++k) {
    voters[k].second = voter_stakes[k].raw();
    if (voters[k].first == nullptr) rowless_stake += voters[k].second, ++rowless;
  }
  std::erase_if(voters, [](const auto& v) { return v.first == nullptr; });

  st.consensus.assign(n, i32f32{});
  const int bits = std::clamp(static_cast<int>(std::bit_width(voter_count)) - 2, 4, 8);
  const std::size_t buckets = std::size_t{1} << bits;
  // Each bucket is one word, the stake in its top 44 bits and the count in its low 20: one
  // add per score. Stakes are proportions summing to at most 2^32, and voters fewer than 2^20.
  // One more word per column takes its scores of 0.
  constexpr int count_bits = 20;
  constexpr u64 count_mask = (u64{1} << count_bits) - 1;
  constexpr std::size_t block = median_block;
  const std::size_t slots = buckets + 1;
  std::vector<dense_voter> dense;
  for (const auto& [row, stake] : voters) dense.push_back({row, stake, static_cast<u64>(stake) << count_bits | 1});
  const kernel_set& k = kernels();
  d.hist.resize(block * slots);
  u32 shift[block], offset[block], zero_at[block], chosen[block];
  std::int64_t base[block];
  std::size_t first[block + 1], fill[block];
  for (std::size_t c = 0; c < block; ++c) {
    offset[c] = static_cast<u32>(c * slots);
    zero_at[c] = static_cast<u32>(c * slots + buckets);
  }
  const u32* top = d.top.data();
  for (std::size_t c0 = 0; c0 < n; c0 += block) {
    const std::size_t width = std::min(block, n - c0);
    std::fill(d.hist.begin(), d.hist.end(), 0);
    for (std::size_t c = 0; c < width; ++c)
      shift[c] = static_cast<u32>(std::max(0, static_cast<int>(std::bit_width(top[c0 + c])) - bits));
    u64* h = d.hist.data();
    if (width == block) {
      k.median_histogram(dense.data(), dense.size(), c0, shift, offset, zero_at, h);
    } else {  // the last, narrower block: rows end inside it
      for (const dense_voter& v : dense) {
        const u32* x = v.row + c0;
        for (std::size_t c = 0; c < width; ++c) h[x[c] != 0 ? offset[c] + (x[c] >> shift[c]) : zero_at[c]] += v.add;
      }
    }
    // Per column: settled now, or the bucket to search and the stake below it.
    for (std::size_t c = 0; c < width; ++c) {
      chosen[c] = ~u32{0};
      const std::size_t j = c0 + c;
      if (top[j] == 0) continue;  // no voter scores it: 0
      if (!(total > minority)) {  // no score passes the minority: the largest
        st.consensus[j] = i32f32::from_raw(top[j]);
        continue;
      }
      // The voters that score 0 sort first, as one group, when there are any.
      const u64* hc = h + offset[c];
      const u64 zero = hc[buckets];
      std::int64_t below = rowless_stake + static_cast<std::int64_t>(zero >> count_bits);
      if (rowless + (zero & count_mask) > 0 && below > minority) continue;  // 0
      // Ends at a bucket: the stakes of all buckets and the zeros add up to total > minority.
      std::size_t b = 0;
      while (b + 1 < buckets && ((hc[b] & count_mask) == 0 || below + static_cast<std::int64_t>(hc[b] >> count_bits) <= minority))
        below += static_cast<std::int64_t>(hc[b++] >> count_bits);
      chosen[c] = static_cast<u32>(b);
      base[c] = below;
    }
    first[0] = 0;
    for (std::size_t c = 0; c < width; ++c)
      first[c + 1] = first[c] + (chosen[c] == ~u32{0} ? 0 : h[offset[c] + chosen[c]] & count_mask);
    d.picked.resize(first[width]);
    std::copy(first, first + width, fill);
    if (width == block) {
      k.median_pick(dense.data(), dense.size(), c0, shift, chosen, d.picked.data(), fill);
    } else {
      for (const dense_voter& v : dense) {
        const u32* x = v.row + c0;
        for (std::size_t c = 0; c < width; ++c)
          if (x[c] != 0 && (x[c] >> shift[c]) == chosen[c]) d.picked[fill[c]++] = {x[c], v.stake};
      }
    }
    for (std::size_t c = 0; c < width; ++c) {
      if (chosen[c] == ~u32{0}) continue;
      auto* const b = d.picked.data() + first[c];
      auto* const e = d.picked.data() + first[c + 1];
      sort_by_score(b, e);
      std::int64_t below = base[c];
      for (auto* it = b; it != e; ++it) {
        below += it->second;
        if (below > minority) {
          st.consensus[c0 + c] = i32f32::from_raw(it->first);
          break;
        }
      }
    }
  }
}

// §2.6-2.7: clipping, trust, ranks and I; W~ * A in the matrix with its column sums.
void dense_clip(const epoch_input& in, epoch_state& st, dense_scratch& d) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n;
  std::vector<u32> cons(n);
  for (std::size_t j = 0; j < n; ++j) cons[j] = static_cast<u32>(st.consensus[j].raw());  // scores < 2^32
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool clip_only = penalty == i32f32::one();
  d.ranks.assign(n, 0);
  d.bought.assign(clip_only ? 0 : n, 0);
  st.trust.assign(n, i32f32{});
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    const u32 i = d.rows[r];
    u32* w = d.matrix.data() + r * n;
    const auto stake = static_cast<u64>(st.active_stake[i].raw());
    const u64 trust = clip_only ? k.clip_row_only(w, cons.data(), n, stake, 0, d.ranks.data(), nullptr)
                                : k.clip_row_penalty(w, cons.data(), n, stake, static_cast<u64>(penalty.raw()),
                                                  d.ranks.data(), d.bought.data());
    st.trust[i] = i32f32::from_raw(static_cast<std::int64_t>(trust));
  }
  normalize(d.ranks, st.incentive);
}

// §2.8: the EMA, its column shares, D, and the stored rows of new permit holders. False when an
// EMA entry reached 2^32 (nothing of `out` written yet).
bool dense_bonds(const epoch_input& in, epoch_state& st, old_bonds& old, dense_scratch& d, epoch_output& out) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n;
  const std::vector<u64>& bought = d.bought.empty() ? d.ranks : d.bought;  // clipping only: the ranks
  for (auto* v : {&d.div_hi, &d.div_lo, &d.div2_hi, &d.div2_lo}) v->resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    set_divisor(d.div_hi.data(), d.div_lo.data(), j, bought[j]);
    set_divisor(d.div2_hi.data(), d.div2_lo.data(), j, d.old_sums[j]);
  }
  const auto alpha = static_cast<u64>(bonds_ema_rate(in.params.bonds_moving_average).raw());
  d.ema_sums.assign(n, 0);
  d.column_max.assign(n, 0);
  d.old_row.resize(n);
  u64 whole = 0;
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    std::fill(d.old_row.begin(), d.old_row.end(), 0);
    const u32 i = d.rows[r];
    if (all_kept(in, old, i))
      for (const u16_entry& e : in.bonds[i]) d.old_row[e.uid] = e.value;
    else
      for (const u16_entry& e : in.bonds[i])
        if (old.kept(e.uid)) d.old_row[e.uid] = e.value;
    whole |= k.ema_row(d.matrix.data() + r * n, d.old_row.data(), n, alpha, d.div_hi.data(), d.div_lo.data(),
                     d.div2_hi.data(), d.div2_lo.data(), d.ema_sums.data(), d.column_max.data());
  }
  if (whole != 0) return false;
  // Per column: the divider by the EMA's sum, and by its largest entry's share.
  for (std::size_t j = 0; j < n; ++j) {
    const share_divider by_sum(d.ema_sums[j]);
    set_divisor(d.div_hi.data(), d.div_lo.data(), j, d.ema_sums[j]);
    set_divisor(d.div2_hi.data(), d.div2_lo.data(), j, by_sum.div(d.column_max[j]));
  }
  st.dividends.assign(n, i32f32{});
  out.bonds.resize(n);
  // Rows outside the matrix hold no EMA entry; the matrix's rows are resized below (clearing
  // them first would have their regrowth zero them every epoch).
  for (std::size_t i = 0, r = 0; i < n; ++i) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (st.permit_new[i] && !(r < d.rows.size() && d.rows[r] == i)) out.bonds[i].clear();
  }
  d.stored.resize(n);
  const auto* incentive = reinterpret_cast<const u64*>(st.incentive.data());  // each in [0, 2^32]
  static_assert(sizeof(u16_entry) == sizeof(u32) && std::endian::native == std::endian::little);
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    const u32 i = d.rows[r];
    const u32* w = d.matrix.data() + r * n;
    std::size_t zeros = 0;
    if (!st.permit_new[i]) {
      const u64 dividend = k.share_row(w, n, incentive, d.div_hi.data(), d.div_lo.data(), nullptr, nullptr,
                                            nullptr, zeros);
      st.dividends[i] = i32f32::from_raw(static_cast<std::int64_t>(dividend));
      continue;
    }
    const u64 dividend = k.share_row_stored(w, n, incentive, d.div_hi.data(), d.div_lo.data(), d.div2_hi.data(),
                                         d.div2_lo.data(), d.stored.data(), zeros);
    st.dividends[i] = i32f32::from_raw(static_cast<std::int64_t>(dividend));
    // The entries above 0, as the merge keeps them: runs between the zeros, copied whole.
    u16_row& row = out.bonds[i];
    row.resize(n - zeros);
    auto* to = reinterpret_cast<unsigned char*>(row.data());
    const u32* from = d.stored.data();
    for (std::size_t j = 0; j < n;) {
      const std::size_t end = zeros == 0 ? n : static_cast<std::size_t>(std::find(w + j, w + n, 0u) - w);
      std::memcpy(to, from + j, (end - j) * sizeof(u32));
      to += (end - j) * sizeof(u32);
      j = end + 1;
    }
  }
  normalize(st.dividends);
  st.bonds_written = true;
  return true;
}

}  // namespace

bool use_dense_kernels(std::string_view isa) {
  static const kernel_set sets[] = {base::make_kernels(), avx2::make_kernels(), avx512::make_kernels()};
  if (isa == "best") {
    forced_kernels = nullptr;
    return true;
  }
  const kernel_set* k = isa == "base"                                       ? &sets[0]
                        : isa == "avx2" && __builtin_cpu_supports("avx2") ? &sets[1]
                        : isa == "avx512" && has_avx512()                 ? &sets[2]
                                                                          : nullptr;
  if (k != nullptr) forced_kernels = k;
  return k != nullptr;
}

bool yuma2_dense(const epoch_input& in, epoch_state& st, epoch_output& out) {
  dense_scratch& d = st.dense;
  if (!dense_rows(in, st, d)) return false;
  old_bonds old(in, st);
  if (!old_column_sums(in, old, d) || !normalize_rows(in, st, d)) return false;
  dense_medians(in, st, d);
  dense_clip(in, st, d);
  return dense_bonds(in, st, old, d, out);
}

}  // namespace synod::consensus::detail
