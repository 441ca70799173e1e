// Yuma 2 on dense weights (subtensor-economics.md §2.4-2.8): the usual shape of a subnet whose
// validators all score every uid. The results are those of the compressed-row steps, bit for
// bit; the work runs over one matrix of 32-bit values per validator row (W, then the bond EMA
// over it) instead of merging (uid, value) lists, in plain array passes compiled for the
// baseline, AVX2 and AVX-512 (epoch_dense_kernels.inc; AVX-512 intrinsics where GCC's vectors
// fell short), picked by the CPU. The passes: row sums and W; per 16 columns the median by
// bisection, with the ranks; the EMA (W~ * A computed on the fly) 8 rows at a time; the shares,
// dividends and stored rows 8 rows at a time.
//
// It applies (dense_rows, old_column_sums) when: Yuma 2; stakes are proportions; the EMA rate
// lies strictly between 0 and 1; the rows holding a permit and weights ascend and together name
// at least half of what full rows would (a shorter row is spread over zeros: a missing weight
// and a zero one give the same epoch); no other row holds bonds; old bond columns sum below
// 2^31. Then, as in epoch_bonds_fast.cpp, every value lies in [0, 2^32]
// and every division is a share_divider's. Only a few values can reach 2^32 (a column's sole
// holder), which the loops pick out. A weight that would normalize to 2^32 (a row with one
// non-zero weight) or an EMA entry of 2^32 does not fit the matrix: the epoch goes back to the
// compressed-row steps, which recompute everything this path wrote.
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace {

using u32 = std::uint32_t;
using u64 = std::uint64_t;
constexpr u64 one = u64{1} << 32;

// The bond passes take the matrix's rows this many at a time, so that each column's divisors,
// sum and maximum are read once per group rather than once per row.
constexpr std::size_t dense_group = 8;

// The median works on blocks of this many columns: a cache line of each row, and one 512-bit
// vector of scores.
constexpr std::size_t median_block = 16;

// Half a block's scores, and their 64-bit sums, as vectors (GCC's vector extension: one
// register each with AVX-512; the compiler splits them for narrower sets).
constexpr std::size_t half_block = median_block / 2;
using half_u32 = u32 __attribute__((vector_size(half_block * sizeof(u32))));
using half_i32 = std::int32_t __attribute__((vector_size(half_block * sizeof(u32))));
using half_u64 = u64 __attribute__((vector_size(half_block * sizeof(u64))));
using half_i64 = std::int64_t __attribute__((vector_size(half_block * sizeof(u64))));

// What the EMA pass reads per column, and its rates (ema_rows).
struct ema_context {
  const u32* consensus;
  u64 penalty, alpha;
  const u64 *fresh_hi, *fresh_lo, *old_hi, *old_lo;
  u64* sums;
  u32* maxima;
};

// One instruction set's kernels (epoch_dense_kernels.inc).
struct kernel_set {
  void (*median_search)(const u32*, const u64*, std::size_t, const u32*, u64, std::int64_t, int, u32*);
  u64 (*row_total)(const u16_entry*, std::size_t, bool&);
  u64 (*normalize_span)(const u16_entry*, u32*, std::size_t, std::size_t, bool, u64, u64, u32*, bool);
  void (*block_ranks)(const u32*, const u64*, std::size_t, const u32*, u64, u64*, u64*);
  u64 (*ema_rows_clipped)(u32* const*, const u32* const*, const u64*, std::size_t, const ema_context&, u64*);
  u64 (*ema_rows_penalty)(u32* const*, const u32* const*, const u64*, std::size_t, const ema_context&, u64*);
  void (*share_rows)(const u32* const*, std::size_t, const u64*, const u64*, const u64*, const u64*, const u64*,
                     u32* const*, u64*, std::size_t*);
};

// The kernels, compiled three times. AVX-512DQ's 64-bit vector multiplication makes that copy
// about three times faster than the AVX2 one (which builds each from three 32-bit ones), and
// that one about 1.6 times faster than plain 64-bit code (measured on the EMA, Zen 4).
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

#define SYNOD_AVX512 [[gnu::target("avx512f,avx512vl,avx512dq,avx512bw")]]
// GCC 12's own AVX-512 headers pass _mm512_undefined_epi32() as the unused source of masked
// builtins, which -W(maybe-)uninitialized reports at every caller: a known false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

// median_search with AVX-512 intrinsics: GCC's vectors turn each comparison into a vector of
// lanes, widened in three steps to mask the stake; here it is a mask register that a masked
// add takes as it is. When the voters' stakes sum below 2^32 (always but when they sum to
// exactly 1.0), the sums fit 32 bits: one add per row for 16 columns instead of two.
SYNOD_AVX512 void median_search_avx512(const u32* scores, const u64* stakes, std::size_t count, const u32* top,
                                       u64 base, std::int64_t minority, int steps, u32* out) {
  static_assert(median_block == 16);
  u64 total = base;
  for (std::size_t v = 0; v < count; ++v) total += stakes[v];
  __m512i lo = _mm512_setzero_si512();
  __m512i hi = _mm512_loadu_si512(top);
  const __m512i one_each = _mm512_set1_epi32(1);
  if (total < one && minority >= 0) {  // every sum, and the minority, below 2^32
    const __m512i least = _mm512_set1_epi32(static_cast<int>(static_cast<u32>(minority)));
    for (int s = 0; s < steps; ++s) {
      const __m512i mid = _mm512_add_epi32(lo, _mm512_maskz_srli_epi32(0xffff, _mm512_sub_epi32(hi, lo), 1));
      // Two sums, even and odd rows: each add waits on the one before in its sum.
      __m512i sum = _mm512_set1_epi32(static_cast<int>(static_cast<u32>(base))), odd = _mm512_setzero_si512();
      std::size_t v = 0;
      for (; v + 1 < count; v += 2) {
        const __mmask16 in = _mm512_cmple_epu32_mask(_mm512_loadu_si512(scores + v * median_block), mid);
        const __mmask16 in_odd = _mm512_cmple_epu32_mask(_mm512_loadu_si512(scores + (v + 1) * median_block), mid);
        sum = _mm512_mask_add_epi32(sum, in, sum, _mm512_set1_epi32(static_cast<int>(static_cast<u32>(stakes[v]))));
        odd = _mm512_mask_add_epi32(odd, in_odd, odd, _mm512_set1_epi32(static_cast<int>(static_cast<u32>(stakes[v + 1]))));
      }
      if (v < count) {
        const __mmask16 in = _mm512_cmple_epu32_mask(_mm512_loadu_si512(scores + v * median_block), mid);
        sum = _mm512_mask_add_epi32(sum, in, sum, _mm512_set1_epi32(static_cast<int>(static_cast<u32>(stakes[v]))));
      }
      sum = _mm512_add_epi32(sum, odd);  // below 2^32: the stakes' total is
      const __mmask16 passes = _mm512_cmpgt_epu32_mask(sum, least);
      hi = _mm512_mask_mov_epi32(hi, passes, mid);
      lo = _mm512_mask_mov_epi32(_mm512_add_epi32(mid, one_each), passes, lo);
    }
    _mm512_storeu_si512(out, hi);
    return;
  }
  const __m512i least = _mm512_set1_epi64(minority);
  for (int s = 0; s < steps; ++s) {
    const __m512i mid = _mm512_add_epi32(lo, _mm512_maskz_srli_epi32(0xffff, _mm512_sub_epi32(hi, lo), 1));
    __m512i sum0 = _mm512_set1_epi64(static_cast<std::int64_t>(base)), sum1 = sum0;
    for (std::size_t v = 0; v < count; ++v) {
      const __mmask16 in = _mm512_cmple_epu32_mask(_mm512_loadu_si512(scores + v * median_block), mid);
      const __m512i stake = _mm512_set1_epi64(static_cast<std::int64_t>(stakes[v]));
      sum0 = _mm512_mask_add_epi64(sum0, static_cast<__mmask8>(in), sum0, stake);
      sum1 = _mm512_mask_add_epi64(sum1, static_cast<__mmask8>(in >> 8), sum1, stake);
    }
    // Sums are below 2^63: compared as signed, with the minority that may be negative.
    const auto passes = static_cast<__mmask16>(_mm512_cmpgt_epi64_mask(sum0, least) |
                                               (_mm512_cmpgt_epi64_mask(sum1, least) << 8));
    hi = _mm512_mask_mov_epi32(hi, passes, mid);
    lo = _mm512_mask_mov_epi32(_mm512_add_epi32(mid, one_each), passes, lo);
  }
  _mm512_storeu_si512(out, hi);
}

// share_div (epoch_dense_kernels.inc) on 8 lanes, each x < 2^32, with the divisor's words and
// their high halves loaded once for a group's rows.
struct divisor8 {
  __m512i hi, lo, hi_hi, lo_hi;
};

SYNOD_AVX512 inline divisor8 load_divisor8(const u64* hi, const u64* lo, __mmask8 lanes) {
  const __m512i h = _mm512_maskz_loadu_epi64(lanes, hi), l = _mm512_maskz_loadu_epi64(lanes, lo);
  return {h, l, _mm512_srli_epi64(h, 32), _mm512_srli_epi64(l, 32)};
}

SYNOD_AVX512 inline __m512i share_div8(__m512i x, const divisor8& d) {
  const __m512i carry = _mm512_srli_epi64(_mm512_mul_epu32(x, d.lo), 32);
  const __m512i high = _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epu32(x, d.lo_hi), carry), 32);
  const __m512i whole = _mm512_add_epi64(_mm512_mul_epu32(x, d.hi), _mm512_slli_epi64(_mm512_mul_epu32(x, d.hi_hi), 32));
  return _mm512_srli_epi64(_mm512_add_epi64(whole, high), 4);
}

// floor(r * q / 2^32) on 8 lanes for r < 2^32 and q <= 2^32 (q = 2^32 gives r).
SYNOD_AVX512 inline __m512i mul_rate8(__m512i r, __m512i q, __m512i high32) {
  return _mm512_mask_mov_epi64(_mm512_srli_epi64(_mm512_mul_epu32(r, q), 32), _mm512_test_epi64_mask(q, high32), r);
}

SYNOD_AVX512 inline __m512i load_u32x8(const u32* p, __mmask8 lanes) {
  return _mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(lanes, p));
}

// ema_rows with AVX-512 intrinsics: 32-bit multiplies where GCC's vectors mask 64-bit lanes
// and use full 64-bit ones, and each column's divisor halves shifted once for the group.
template <bool clip_only>
SYNOD_AVX512 u64 ema_rows_avx512(u32* const* w, const u32* const* old, const u64* stake, std::size_t n,
                                 const ema_context& at, u64* trust) {
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i alpha = _mm512_set1_epi64(static_cast<std::int64_t>(at.alpha));
  const __m512i keep = _mm512_set1_epi64(static_cast<std::int64_t>(one - at.alpha));
  const __m512i penalty = _mm512_set1_epi64(static_cast<std::int64_t>(at.penalty));
  const __m512i round_up = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  __m512i sums_t[dense_group];
  for (auto& t : sums_t) t = _mm512_setzero_si512();
  __m512i whole = _mm512_setzero_si512();
  for (std::size_t j = 0; j < n; j += 8) {
    const auto lanes = static_cast<__mmask8>(n - j >= 8 ? 0xff : (1u << (n - j)) - 1);
    const divisor8 fresh = load_divisor8(at.fresh_hi + j, at.fresh_lo + j, lanes);
    const divisor8 prior = load_divisor8(at.old_hi + j, at.old_lo + j, lanes);
    const __m512i c = load_u32x8(at.consensus + j, lanes);
    __m512i sum = _mm512_setzero_si512(), most = load_u32x8(at.maxima + j, lanes);
    for (std::size_t r = 0; r < dense_group; ++r) {
      const __m512i x = load_u32x8(w[r] + j, lanes), clipped = _mm512_min_epu64(x, c);
      sums_t[r] = _mm512_add_epi64(sums_t[r], clipped);
      __m512i y = clipped;
      if constexpr (!clip_only)
        y = _mm512_sub_epi64(x, _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epu32(penalty, _mm512_sub_epi64(x, clipped)), round_up), 32));
      const __m512i bought = mul_rate8(y, _mm512_set1_epi64(static_cast<std::int64_t>(stake[r])), high32);
      const __m512i e = _mm512_add_epi64(mul_rate8(alpha, share_div8(bought, fresh), high32),
                                         mul_rate8(keep, share_div8(load_u32x8(old[r] + j, lanes), prior), high32));
      whole = _mm512_or_si512(whole, e);
      _mm256_mask_storeu_epi32(w[r] + j, lanes, _mm512_cvtepi64_epi32(e));
      sum = _mm512_add_epi64(sum, e);
      most = _mm512_max_epu64(most, e);
    }
    _mm512_mask_storeu_epi64(at.sums + j, lanes, _mm512_add_epi64(_mm512_maskz_loadu_epi64(lanes, at.sums + j), sum));
    _mm256_mask_storeu_epi32(at.maxima + j, lanes, _mm512_cvtepi64_epi32(most));
  }
  for (std::size_t r = 0; r < dense_group; ++r) trust[r] = static_cast<u64>(_mm512_reduce_add_epi64(sums_t[r]));
  return static_cast<u64>(_mm512_reduce_or_epi64(whole)) >> 32;
}

// share_rows with AVX-512 intrinsics, for the same reasons; a compressing store writes a row's
// entries above 0 straight into its stored row.
SYNOD_AVX512 void share_rows_avx512(const u32* const* w, std::size_t n, const u64* incentive, const u64* sum_hi,
                                    const u64* sum_lo, const u64* max_hi, const u64* max_lo, u32* const* stored,
                                    u64* dividend, std::size_t* count) {
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(0xffffffff);
  const __m512i full = _mm512_set1_epi64(static_cast<std::int64_t>(one));
  const __m512i u16_one = _mm512_set1_epi64(65535);
  const __m512i eight = _mm512_set1_epi64(8);
  __m512i uid = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i d[dense_group];
  for (auto& x : d) x = _mm512_setzero_si512();
  std::size_t at[dense_group] = {};
  for (std::size_t j = 0; j < n; j += 8) {
    const auto lanes = static_cast<__mmask8>(n - j >= 8 ? 0xff : (1u << (n - j)) - 1);
    const divisor8 by_sum = load_divisor8(sum_hi + j, sum_lo + j, lanes);
    const divisor8 by_max = load_divisor8(max_hi + j, max_lo + j, lanes);
    const __m512i inc = _mm512_maskz_loadu_epi64(lanes, incentive + j);
    const __mmask8 inc_full = _mm512_test_epi64_mask(inc, high32);
    for (std::size_t r = 0; r < dense_group; ++r) {
      const __m512i e = load_u32x8(w[r] + j, lanes);
      const __m512i b = share_div8(e, by_sum);  // at most 2^32: a column's sole entry
      const __mmask8 b_full = _mm512_test_epi64_mask(b, high32);
      const __m512i b_low = _mm512_and_si512(b, low32);
      // mul_share: a factor at 2^32 contributes the other whole.
      __m512i product = _mm512_srli_epi64(_mm512_mul_epu32(b, inc), 32);
      product = _mm512_mask_add_epi64(product, b_full, product, inc);
      product = _mm512_mask_add_epi64(product, inc_full, product, b_low);
      d[r] = _mm512_add_epi64(d[r], product);
      if (stored[r] == nullptr) continue;
      const __m512i up = _mm512_mask_mov_epi64(share_div8(b_low, by_max), b_full, full);
      const __m512i value =
          _mm512_mask_mov_epi64(_mm512_srli_epi64(_mm512_mul_epu32(up, u16_one), 32), _mm512_test_epi64_mask(up, high32), u16_one);
      const __mmask8 kept = _mm512_test_epi64_mask(e, e);  // the EMA's entries above 0
      _mm256_mask_compressstoreu_epi32(stored[r] + at[r], kept,
                                       _mm512_cvtepi64_epi32(_mm512_or_si512(uid, _mm512_slli_epi64(value, 16))));
      at[r] += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(kept)));
    }
    uid = _mm512_add_epi64(uid, eight);
  }
  for (std::size_t r = 0; r < dense_group; ++r) dividend[r] = static_cast<u64>(_mm512_reduce_add_epi64(d[r]));
  std::copy_n(at, dense_group, count);
}

#pragma GCC diagnostic pop
#undef SYNOD_AVX512

bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
}

kernel_set avx512_kernels() {
  kernel_set k = avx512::make_kernels();
  k.median_search = &median_search_avx512;
  k.ema_rows_clipped = &ema_rows_avx512<true>;
  k.ema_rows_penalty = &ema_rows_avx512<false>;
  k.share_rows = &share_rows_avx512;
  return k;
}

// The set this CPU runs best, unless use_dense_kernels chose another.
std::atomic<const kernel_set*> forced_kernels{nullptr};

const kernel_set& kernels() {
  if (const kernel_set* k = forced_kernels.load(std::memory_order_relaxed)) return *k;
  static const kernel_set best = has_avx512()                   ? avx512_kernels()
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
  std::size_t entries = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const u16_row& w = in.weights[i];
    if (!st.permit_old[i] || w.empty()) {
      if (!in.bonds[i].empty()) return false;  // bonds outside the dense rows
      if (st.weights_ascending[i] == unchecked) return false;  // a row nothing here reads: checked later
      continue;
    }
    // A row naming every uid was left unchecked by check_input: normalize_rows checks it names
    // them in order. A shorter one was checked, and is spread over a row of zeros if it ascends.
    if (st.weights_ascending[i] == 0) return false;
    entries += w.size();
    d.rows.push_back(static_cast<u32>(i));
  }
  // Mostly full rows: below half, the compressed rows are the shorter work.
  if (d.rows.empty() || 2 * entries < d.rows.size() * n) return false;
  return std::all_of(st.active_stake.begin(), st.active_stake.end(),
                     [](i32f32 s) { return s >= i32f32{} && s <= i32f32::one(); });
}

// Whether every old bond of row i counts: none to a uid past n (the row ascends) or registered
// since the previous epoch. Then a loop over the row needs no test per entry.
bool all_kept(const epoch_input& in, const old_bonds& old, std::size_t i) {
  const u16_row& row = in.bonds[i];
  return old.all_kept() && (row.empty() || row.back().uid < in.stake.size()) && old.ascending(i);
}

// For a bond row that ascends below n: when it names every uid but at most one (a validator's
// row in a dense subnet lacks its own), the uid it lacks, n when none; SIZE_MAX otherwise.
// Such a row is entries 0..gap-1 for uids 0..gap-1 and the rest one uid further on, so loops
// over it copy values instead of indexing by each entry's uid.
std::size_t single_gap(const u16_row& row, std::size_t n) {
  if (row.size() > n || row.size() + 1 < n) return SIZE_MAX;
  std::size_t lo = 0, hi = row.size();  // the first entry that does not name its own index
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (row[mid].uid == mid)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

// The old bonds' integer column sums into d.old_sums; false when one reaches 2^31, or when a
// row check_input left unchecked does not ascend (finish_row_checks then sorts it out).
bool old_column_sums(const epoch_input& in, epoch_state& st, const old_bonds& old, dense_scratch& d) {
  d.old_sums.assign(in.stake.size(), 0);
  u64* sums = d.old_sums.data();
  for (u32 i : d.rows) {
    const u16_row& row = in.bonds[i];
    if (st.bonds_ascending[i] == unchecked) {
      unsigned out_of_order = 0;
      for (std::size_t k = 1; k < row.size(); ++k) out_of_order |= row[k - 1].uid >= row[k].uid;
      if (out_of_order != 0) return false;
      st.bonds_ascending[i] = 1;
    }
    if (!all_kept(in, old, i)) {
      for (const u16_entry& e : row)
        if (old.kept(e.uid)) sums[e.uid] += e.value;  // kept() is false past n
    } else if (const std::size_t gap = single_gap(row, in.stake.size()); gap != SIZE_MAX) {
      const u16_entry* e = row.data();
      for (std::size_t k = 0; k < gap; ++k) sums[k] += e[k].value;
      for (std::size_t k = gap; k < row.size(); ++k) sums[k + 1] += e[k].value;
    } else {
      for (const u16_entry& e : row) sums[e.uid] += e.value;
    }
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
bool normalize_rows(const epoch_input& in, epoch_state& st, dense_scratch& d) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n;
  // Every value is written: no clearing. Padded so that the median's 16-column reads may pass
  // the last row's end.
  d.matrix.resize(d.rows.size() * n + median_block);
  d.top.assign(n, 0);
  for (std::size_t r = 0; r < d.rows.size(); ++r) {
    const u32 i = d.rows[r];
    const u16_entry* w = in.weights[i].data();
    const bool masks_self = !(in.owner_uid && *in.owner_uid == i);  // only the owner may weight itself
    if (in.weights[i].size() != n) {  // spread over a row of zeros (uids past n are ignored)
      d.spread.resize(n);
      for (std::size_t j = 0; j < n; ++j) d.spread[j] = {static_cast<std::uint16_t>(j), 0};
      for (const u16_entry& e : in.weights[i])
        if (e.uid < n) d.spread[e.uid].value = e.value;
      w = d.spread.data();
    }
    bool in_order = false;
    u64 total = k.row_total(w, n, in_order);
    if (!in_order) return false;  // not every uid in order: finish_row_checks sorts it out
    st.weights_ascending[i] = 1;
    if (const std::uint64_t limit = registration_limit(in, i); st.latest_registration >= limit) {
      // §2.4's registration mask: a weight to a uid registered at or after the limit is
      // dropped, as 0 here (a zero weight and a missing one give the same epoch). The row is
      // copied with those weights at 0, and the copy read instead.
      d.masked.assign(w, w + n);
      for (std::size_t j = 0; j < n; ++j)
        if (in.registered_at[j] >= limit) d.masked[j].value = 0;
      w = d.masked.data();
      total = k.row_total(w, n, in_order);
    }
    total -= masks_self ? w[i].value : 0;
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

// §2.5: C per column, the smallest score at which the voters' stake at or below it passes the
// minority (median_columns.cpp explains why that is the reference's answer). Found by
// bisection on the score, 16 columns at a time: each step sums, per column, the stake of the
// voters scoring at most the middle of its range, in one vector pass over the block's rows
// (a cache line of each). Whatever the order of equal scores, that sum is the same: no sort.
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
  // Voters without a row score 0 in every column: the zero group starts with them.
  std::int64_t rowless_stake = 0;
  std::size_t rowless = 0;
  for (std::size_t k = 0; k < voters.size(); ++k) {
    voters[k].second = voter_stakes[k].raw();
    if (voters[k].first == nullptr) rowless_stake += voters[k].second, ++rowless;
  }
  std::erase_if(voters, [](const auto& v) { return v.first == nullptr; });

  st.consensus.assign(n, i32f32{});
  std::vector<u64> stakes, active;  // re-normalized for the median; as they are for the ranks
  for (const auto& [row, stake] : voters) {
    stakes.push_back(static_cast<u64>(stake));
    const std::size_t in_matrix = static_cast<std::size_t>(row - d.matrix.data()) / n;
    active.push_back(static_cast<u64>(st.active_stake[d.rows[in_matrix]].raw()));
  }
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool clip_only = penalty == i32f32::one();
  d.ranks.assign(n, 0);
  d.bought.assign(clip_only ? 0 : n, 0);
  const kernel_set& k = kernels();
  constexpr std::size_t block = median_block;
  // Each block's scores, copied together: the bisection reads them a score bit at a time, and
  // in the matrix a block's rows lie a row apart, often a power of two that maps them all to a
  // few cache sets.
  d.block.resize(voters.size() * block);
  u32 top[block], median[block];
  u64 ranks[block], bought[block];
  for (std::size_t c0 = 0; c0 < n; c0 += block) {
    const std::size_t width = std::min(block, n - c0);
    for (std::size_t v = 0; v < voters.size(); ++v) {  // the matrix is padded for the last block's reads
      // Rows a matrix row apart defeat the hardware's prefetch: fetch the next block's ahead.
      __builtin_prefetch(voters[v].first + c0 + 2 * block);
      std::memcpy(d.block.data() + v * block, voters[v].first + c0, block * sizeof(u32));
    }
    std::fill(top, top + block, 0);  // columns past n: settled at 0
    std::copy_n(d.top.data() + c0, width, top);
    if (minority >= 0) {
      const u32 highest = *std::max_element(top, top + block);
      k.median_search(d.block.data(), stakes.data(), voters.size(), top, static_cast<u64>(rowless_stake), minority,
                      static_cast<int>(std::bit_width(highest)), median);
    } else {
      // Every entry passes a negative minority, so the answer is each column's smallest entry:
      // 0 when a voter scores 0 there (always, when one has no row), else its smallest score.
      std::copy_n(top, block, median);
      for (std::size_t v = 0; v < voters.size() && rowless == 0; ++v)
        for (std::size_t c = 0; c < block; ++c) median[c] = std::min(median[c], d.block[v * block + c]);
      if (rowless > 0) std::fill(median, median + block, 0);
    }
    // §2.6-2.7's column sums while the block is at hand: the ranks (stake times the score
    // clipped to C) and, with a penalty, the bought sums. Rows without stake add nothing.
    k.block_ranks(d.block.data(), active.data(), voters.size(), median,
                  clip_only ? one : static_cast<u64>(penalty.raw()), ranks, bought);
    for (std::size_t c = 0; c < width; ++c) {
      st.consensus[c0 + c] = i32f32::from_raw(median[c]);
      d.ranks[c0 + c] = ranks[c];
      if (!clip_only) d.bought[c0 + c] = bought[c];
    }
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
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool clip_only = penalty == i32f32::one();
  d.consensus.resize(n);
  for (std::size_t j = 0; j < n; ++j) d.consensus[j] = static_cast<u32>(st.consensus[j].raw());  // scores < 2^32
  st.trust.assign(n, i32f32{});
  d.ema_sums.assign(n, 0);
  d.column_max.assign(n, 0);
  const ema_context at{d.consensus.data(), static_cast<u64>(penalty.raw()), alpha, d.div_hi.data(), d.div_lo.data(),
                       d.div2_hi.data(), d.div2_lo.data(), d.ema_sums.data(), d.column_max.data()};
  const std::size_t rows = d.rows.size();
  // Scratch rows: each group member's old bonds by uid; and a row of
  // zeros (with a writable twin) standing for the members a short last group lacks.
  d.old_rows.resize((dense_group + 2) * n);
  u32* const zero_row = d.old_rows.data() + dense_group * n;
  u32* const zero_sink = zero_row + n;
  std::fill(zero_row, zero_row + 2 * n, 0);
  u64 whole = 0;
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    u32* w[dense_group];
    const u32* old_of[dense_group];
    for (std::size_t g = 0; g < dense_group; ++g) {
      if (r0 + g >= rows) {
        w[g] = zero_sink;  // 0 in, 0 out: adds nothing to a sum or maximum
        old_of[g] = zero_row;
        continue;
      }
      w[g] = d.matrix.data() + (r0 + g) * n;
      u32* old_row = d.old_rows.data() + g * n;
      const u32 i = d.rows[r0 + g];
      const u16_row& bonds = in.bonds[i];
      const bool kept_all = all_kept(in, old, i);
      if (const std::size_t gap = kept_all ? single_gap(bonds, n) : SIZE_MAX; gap != SIZE_MAX) {
        const u16_entry* e = bonds.data();
        for (std::size_t x = 0; x < gap; ++x) old_row[x] = e[x].value;
        if (gap < n) old_row[gap] = 0;
        for (std::size_t x = gap; x < bonds.size(); ++x) old_row[x + 1] = e[x].value;
      } else {
        std::fill(old_row, old_row + n, 0);
        for (const u16_entry& e : bonds)
          if (kept_all || old.kept(e.uid)) old_row[e.uid] = e.value;
      }
      old_of[g] = old_row;
    }
    u64 stake[dense_group], trust[dense_group];
    for (std::size_t g = 0; g < dense_group; ++g)
      stake[g] = r0 + g < rows ? static_cast<u64>(st.active_stake[d.rows[r0 + g]].raw()) : 0;
    whole |= clip_only ? k.ema_rows_clipped(w, old_of, stake, n, at, trust)
                       : k.ema_rows_penalty(w, old_of, stake, n, at, trust);
    for (std::size_t g = 0; g < dense_group && r0 + g < rows; ++g)
      st.trust[d.rows[r0 + g]] = i32f32::from_raw(static_cast<std::int64_t>(trust[g]));
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
    while (r < rows && d.rows[r] < i) ++r;
    if (st.permit_new[i] && !(r < rows && d.rows[r] == i)) out.bonds[i].clear();
  }
  const auto* incentive = reinterpret_cast<const u64*>(st.incentive.data());  // each in [0, 2^32]
  static_assert(sizeof(u16_entry) == sizeof(u32) && std::endian::native == std::endian::little);
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    const u32* w[dense_group];
    u32* stored[dense_group];  // each new permit holder's row, as u16_entry bytes; null: not stored
    for (std::size_t g = 0; g < dense_group; ++g) {
      w[g] = r0 + g < rows ? d.matrix.data() + (r0 + g) * n : zero_row;
      stored[g] = nullptr;
      if (r0 + g >= rows || !st.permit_new[d.rows[r0 + g]]) continue;
      u16_row& row = out.bonds[d.rows[r0 + g]];
      row.resize(n);  // cut to what it holds below
      stored[g] = reinterpret_cast<u32*>(row.data());
    }
    u64 dividend[dense_group];
    std::size_t count[dense_group];
    k.share_rows(w, n, incentive, d.div_hi.data(), d.div_lo.data(), d.div2_hi.data(), d.div2_lo.data(), stored,
                 dividend, count);
    for (std::size_t g = 0; g < dense_group && r0 + g < rows; ++g) {
      const u32 i = d.rows[r0 + g];
      st.dividends[i] = i32f32::from_raw(static_cast<std::int64_t>(dividend[g]));
      if (stored[g] != nullptr) out.bonds[i].resize(count[g]);
    }
  }
  normalize(st.dividends);
  st.bonds_written = true;
  return true;
}

}  // namespace

bool use_dense_kernels(std::string_view isa) {
  static const kernel_set sets[] = {base::make_kernels(), avx2::make_kernels(), avx512_kernels()};
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
  if (!old_column_sums(in, st, old, d) || !normalize_rows(in, st, d)) return false;
  dense_medians(in, st, d);
  return dense_bonds(in, st, old, d, out);
}

}  // namespace synod::consensus::detail
