// Yuma 2 on dense weights (subtensor-economics.md §2.4-2.8): the usual shape of a subnet whose
// validators all score every uid. The results are those of the compressed-row steps, bit for
// bit; the work runs over one matrix of 32-bit values per validator row (W, then the bond EMA,
// which overwrites it) instead of merging (uid, value) lists, so its loops are plain array
// passes the compiler vectorizes (epoch_dense_kernels.inc). The matrix is stored in tiles of
// 16 columns, each tile holding its columns of every row together: the median reads a tile
// as one block, and the bond passes read a group of rows a cache line at a time.
//
// It applies (dense_rows, old_column_sums) when: Yuma 2; stakes are proportions; the EMA rate
// lies strictly between 0 and 1; every row holding a permit either names every uid, in order,
// and masks none but its own, or holds no weights and no bonds; no other row holds bonds; old
// bond columns sum below 2^31. Then, as in epoch_bonds_fast.cpp, every value lies in [0, 2^32]
// and every division is a share_divider's. Only a few values can reach 2^32 (a column's sole
// holder), which the loops pick out. A weight that would normalize to 2^32 (a row with one
// non-zero weight) or an EMA entry of 2^32 does not fit the matrix: the epoch goes back to the
// compressed-row steps, which recompute everything this path wrote.
#include <immintrin.h>

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

// The bond passes take the matrix's rows this many at a time, so that each column's divisors,
// sum and maximum are read once per group rather than once per row.
constexpr std::size_t dense_group = 8;

// The matrix's tiles are this many columns wide: a cache line of each row, one 512-bit vector
// of scores. The median works on one tile at a time.
constexpr std::size_t median_block = 16;

// Half a block's scores, and their 64-bit sums, as vectors (GCC's vector extension: one
// register each with AVX-512; the compiler splits them for narrower sets).
constexpr std::size_t half_block = median_block / 2;
using half_u32 = u32 __attribute__((vector_size(half_block * sizeof(u32))));
using half_i32 = std::int32_t __attribute__((vector_size(half_block * sizeof(u32))));
using half_u64 = u64 __attribute__((vector_size(half_block * sizeof(u64))));
using half_i64 = std::int64_t __attribute__((vector_size(half_block * sizeof(u64))));

// What the bond passes read: a group of dense_group rows of the tiled matrix, per-column
// arrays (padded to whole tiles), and rates.
struct tile_pass {
  u32* matrix;
  std::size_t rows, first_row, tiles;  // rows: of the matrix, a multiple of dense_group
  const u32* old;                      // the group's old bonds, row after row, `tiles` tiles long
  const u32* consensus;
  u64 penalty, alpha;
  const u64 *fresh_hi, *fresh_lo, *old_hi, *old_lo;  // EMA pass: divisors of W~ * A and old bonds
  u64* sums;                                          // EMA pass: column sums and maxima
  u32* maxima;
  const u64* incentive;                               // share pass
  const u64 *sum_hi, *sum_lo, *max_hi, *max_lo;       // share pass: divisors of the EMA
};

// One instruction set's kernels (epoch_dense_kernels.inc).
struct kernel_set {
  void (*median_search)(const u32*, const u64*, std::size_t, const u32*, u64, std::int64_t, int, u32*);
  u64 (*row_total)(const u16_entry*, std::size_t, bool&);
  u64 (*normalize_span)(const u16_entry*, u32*, std::size_t, std::size_t, bool, u64, u64, u32*, bool);
  void (*block_ranks)(const u32*, const u64*, std::size_t, const u32*, u64, u64*, u64*);
  u64 (*ema_tiles_clipped)(const tile_pass&, const u64*, u64*);
  u64 (*ema_tiles_penalty)(const tile_pass&, const u64*, u64*);
  void (*share_tiles)(const tile_pass&, u32* const*, std::size_t*, u64*);
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
      __m512i sum = _mm512_set1_epi32(static_cast<int>(static_cast<u32>(base)));
      for (std::size_t v = 0; v < count; ++v) {
        const __mmask16 in = _mm512_cmple_epu32_mask(_mm512_loadu_si512(scores + v * median_block), mid);
        sum = _mm512_mask_add_epi32(sum, in, sum, _mm512_set1_epi32(static_cast<int>(static_cast<u32>(stakes[v]))));
      }
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

// ema_tiles with AVX-512 intrinsics: 32-bit multiplies where GCC's vectors mask 64-bit lanes
// and use full 64-bit ones, and each column's divisor halves shifted once for the group.
template <bool clip_only>
SYNOD_AVX512 u64 ema_tiles_avx512(const tile_pass& p, const u64* stake, u64* trust) {
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i alpha = _mm512_set1_epi64(static_cast<std::int64_t>(p.alpha));
  const __m512i keep = _mm512_set1_epi64(static_cast<std::int64_t>(one - p.alpha));
  const __m512i penalty = _mm512_set1_epi64(static_cast<std::int64_t>(p.penalty));
  const __m512i round_up = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  const std::size_t stride = p.tiles * median_block;  // of the old rows
  __m512i clipped_sum[dense_group];
  for (auto& t : clipped_sum) t = _mm512_setzero_si512();
  __m512i whole = _mm512_setzero_si512();
  for (std::size_t tile = 0; tile < p.tiles; ++tile) {
    u32* block = p.matrix + (tile * p.rows + p.first_row) * median_block;
    for (std::size_t half = 0; half < median_block; half += 8) {
      const std::size_t j = tile * median_block + half;
      const divisor8 fresh = load_divisor8(p.fresh_hi + j, p.fresh_lo + j, 0xff);
      const divisor8 prior = load_divisor8(p.old_hi + j, p.old_lo + j, 0xff);
      const __m512i c = load_u32x8(p.consensus + j, 0xff);
      __m512i sum = _mm512_setzero_si512(), most = load_u32x8(p.maxima + j, 0xff);
      for (std::size_t r = 0; r < dense_group; ++r) {
        u32* at = block + r * median_block + half;
        const __m512i x = load_u32x8(at, 0xff), clipped = _mm512_min_epu64(x, c);
        clipped_sum[r] = _mm512_add_epi64(clipped_sum[r], clipped);
        __m512i y = clipped;
        if constexpr (!clip_only)
          y = _mm512_sub_epi64(x, _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epu32(penalty, _mm512_sub_epi64(x, clipped)), round_up), 32));
        const __m512i bought = mul_rate8(y, _mm512_set1_epi64(static_cast<std::int64_t>(stake[r])), high32);
        const __m512i e = _mm512_add_epi64(mul_rate8(alpha, share_div8(bought, fresh), high32),
                                           mul_rate8(keep, share_div8(load_u32x8(p.old + r * stride + j, 0xff), prior), high32));
        whole = _mm512_or_si512(whole, e);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(at), _mm512_cvtepi64_epi32(e));
        sum = _mm512_add_epi64(sum, e);
        most = _mm512_max_epu64(most, e);
      }
      _mm512_storeu_si512(p.sums + j, _mm512_add_epi64(_mm512_loadu_si512(p.sums + j), sum));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(p.maxima + j), _mm512_cvtepi64_epi32(most));
    }
  }
  for (std::size_t r = 0; r < dense_group; ++r) trust[r] = static_cast<u64>(_mm512_reduce_add_epi64(clipped_sum[r]));
  return static_cast<u64>(_mm512_reduce_or_epi64(whole)) >> 32;
}

// share_tiles with AVX-512 intrinsics, for the same reasons; a compressing store writes a row's
// entries above 0 straight into its stored row.
SYNOD_AVX512 void share_tiles_avx512(const tile_pass& p, u32* const* stored, std::size_t* count, u64* dividend) {
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(0xffffffff);
  const __m512i full = _mm512_set1_epi64(static_cast<std::int64_t>(one));
  const __m512i u16_one = _mm512_set1_epi64(65535);
  const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i d[dense_group];
  for (auto& x : d) x = _mm512_setzero_si512();
  std::size_t at[dense_group] = {};
  for (std::size_t tile = 0; tile < p.tiles; ++tile) {
    const u32* block = p.matrix + (tile * p.rows + p.first_row) * median_block;
    for (std::size_t half = 0; half < median_block; half += 8) {
      const std::size_t j = tile * median_block + half;
      const divisor8 by_sum = load_divisor8(p.sum_hi + j, p.sum_lo + j, 0xff);
      const divisor8 by_max = load_divisor8(p.max_hi + j, p.max_lo + j, 0xff);
      const __m512i inc = _mm512_loadu_si512(p.incentive + j);
      const __mmask8 inc_full = _mm512_test_epi64_mask(inc, high32);
      const __m512i uid = _mm512_add_epi64(_mm512_set1_epi64(static_cast<std::int64_t>(j)), lane);
      for (std::size_t r = 0; r < dense_group; ++r) {
        const __m512i e = load_u32x8(block + r * median_block + half, 0xff);
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
        const __m512i value = _mm512_mask_mov_epi64(_mm512_srli_epi64(_mm512_mul_epu32(up, u16_one), 32),
                                                    _mm512_test_epi64_mask(up, high32), u16_one);
        const __mmask8 kept = _mm512_test_epi64_mask(e, e);  // the EMA's entries above 0
        _mm256_mask_compressstoreu_epi32(stored[r] + at[r], kept,
                                         _mm512_cvtepi64_epi32(_mm512_or_si512(uid, _mm512_slli_epi64(value, 16))));
        at[r] += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(kept)));
      }
    }
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
  k.ema_tiles_clipped = &ema_tiles_avx512<true>;
  k.ema_tiles_penalty = &ema_tiles_avx512<false>;
  k.share_tiles = &share_tiles_avx512;
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
  for (std::size_t i = 0; i < n; ++i) {
    const u16_row& w = in.weights[i];
    if (!st.permit_old[i] || w.empty()) {
      if (!in.bonds[i].empty()) return false;  // bonds outside the dense rows
      if (st.weights_ascending[i] == unchecked) return false;  // a row nothing here reads: checked later
      continue;
    }
    // Unchecked (check_input left it): normalize_rows checks it names every uid in order.
    if (w.size() != n || st.weights_ascending[i] != unchecked) return false;
    d.rows.push_back(static_cast<u32>(i));
  }
  if (d.rows.empty()) return false;
  for (const i32f32 s : st.active_stake)
    if (s < i32f32{} || s > i32f32::one()) return false;
  const std::uint64_t latest = *std::max_element(in.registered_at.begin(), in.registered_at.end());
  return std::all_of(d.rows.begin(), d.rows.end(),
                     [&](u32 i) { return latest < registration_limit(in, i); });  // no registration mask
}

// n rounded up to whole tiles: the per-column arrays are this long, 0 past n.
std::size_t whole_tiles(std::size_t n) { return (n + median_block - 1) / median_block * median_block; }

// The matrix's rows: the dense rows, then rows of zeros up to a whole group.
std::size_t matrix_rows(const dense_scratch& d) {
  return (d.rows.size() + dense_group - 1) / dense_group * dense_group;
}

// Whether every old bond of row i counts: none to a uid past n (the row ascends) or registered
// since the previous epoch. Then a loop over the row needs no test per entry.
bool all_kept(const epoch_input& in, const old_bonds& old, std::size_t i) {
  const u16_row& row = in.bonds[i];
  return old.all_kept() && (row.empty() || row.back().uid < in.stake.size()) && old.ascending(i);
}

// The old bonds' integer column sums into d.old_sums; false when one reaches 2^31, or when a
// row check_input left unchecked does not ascend (finish_row_checks then sorts it out).
bool old_column_sums(const epoch_input& in, epoch_state& st, const old_bonds& old, dense_scratch& d) {
  d.old_sums.assign(whole_tiles(in.stake.size()), 0);  // 0 past n: divisors that keep 0 at 0
  u64* sums = d.old_sums.data();
  for (u32 i : d.rows) {
    const u16_row& row = in.bonds[i];
    if (st.bonds_ascending[i] == unchecked) {
      unsigned out_of_order = 0;
      for (std::size_t k = 1; k < row.size(); ++k) out_of_order |= row[k - 1].uid >= row[k].uid;
      if (out_of_order != 0) return false;
      st.bonds_ascending[i] = 1;
    }
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

// §2.4: W of every dense row, into the tiles. Rows are normalized a batch at a time into
// scratch rows by uid, then each tile takes the batch's 16 columns as one contiguous run: row by
// row, each tile's part was a separate page. False when a row has a single non-zero weight
// (its W is 2^32).
bool normalize_rows(const epoch_input& in, epoch_state& st, dense_scratch& d) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n, columns = whole_tiles(n), tiles = columns / median_block;
  const std::size_t rows = matrix_rows(d);
  constexpr std::size_t batch = 2 * dense_group;
  d.matrix.resize(tiles * rows * median_block);  // every value is written: no clearing
  d.top.assign(columns, 0);
  d.row.assign(batch * columns, 0);  // 0 past n
  for (std::size_t r0 = 0; r0 < rows; r0 += batch) {
    const std::size_t count = std::min(batch, rows - r0);
    for (std::size_t b = 0; b < count; ++b) {
      u32* to = d.row.data() + b * columns;
      if (r0 + b >= d.rows.size()) {
        std::fill(to, to + n, 0);  // a row of zeros filling the last group
        continue;
      }
      const u32 i = d.rows[r0 + b];
      const u16_entry* w = in.weights[i].data();
      const bool masks_self = !(in.owner_uid && *in.owner_uid == i);  // only the owner may weight itself
      bool in_order = false;
      const u64 total = k.row_total(w, n, in_order) - (masks_self ? w[i].value : 0);
      if (!in_order) return false;  // not every uid in order: finish_row_checks sorts it out
      st.weights_ascending[i] = 1;
      const bool saturated = total >= (u64{1} << 31);  // as row_normalizer in epoch_weights.cpp
      const share_divider by(saturated ? 0 : total);
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
    for (std::size_t t = 0; t < tiles; ++t) {
      u32* tile = d.matrix.data() + (t * rows + r0) * median_block;
      for (std::size_t b = 0; b < count; ++b)
        std::memcpy(tile + b * median_block, d.row.data() + b * columns + t * median_block, median_block * sizeof(u32));
    }
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
  std::vector<std::pair<const u32*, std::int64_t>> voters;  // matrix.data() + its matrix row, or null
  std::size_t r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (!(st.active_stake[i] > i32f32{})) continue;
    voter_stakes.push_back(st.active_stake[i]);
    const bool dense = r < d.rows.size() && d.rows[r] == i;
    voters.emplace_back(dense ? d.matrix.data() + r : nullptr, 0);
  }
  normalize(voter_stakes);
  const std::int64_t total = sum(voter_stakes).raw();
  const std::int64_t minority =
      (i32f32::from_raw(total) - i32f32::from_u16_proportion(in.params.kappa)).raw();
  const std::size_t columns = whole_tiles(n), tiles = columns / median_block, rows = matrix_rows(d);
  // Per matrix row: its stake re-normalized for the median, and as it is for the ranks (0 for
  // rows that do not vote, which then add nothing), and whether it votes. Voters without a
  // row score 0 in every column: the zero group starts with them.
  std::vector<u64> stakes(rows, 0), active(rows, 0);
  std::vector<char> votes(rows, 0);
  std::int64_t rowless_stake = 0;
  std::size_t rowless = 0;
  for (std::size_t v = 0; v < voters.size(); ++v) {
    const std::int64_t stake = voter_stakes[v].raw();
    if (voters[v].first == nullptr) {
      rowless_stake += stake, ++rowless;
      continue;
    }
    const auto at = static_cast<std::size_t>(voters[v].first - d.matrix.data());  // the matrix row
    stakes[at] = static_cast<u64>(stake);
    active[at] = static_cast<u64>(st.active_stake[d.rows[at]].raw());
    votes[at] = 1;
  }
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool clip_only = penalty == i32f32::one();
  st.consensus.assign(n, i32f32{});
  d.consensus.assign(columns, 0);
  d.ranks.assign(columns, 0);
  d.bought.assign(clip_only ? 0 : columns, 0);
  const kernel_set& k = kernels();
  constexpr std::size_t block = median_block;
  u32 median[block];
  for (std::size_t t = 0; t < tiles; ++t) {
    const u32* tile = d.matrix.data() + t * rows * block;
    const u32* top = d.top.data() + t * block;  // 0 past n: settled at 0
    if (minority >= 0) {
      const u32 highest = *std::max_element(top, top + block);
      k.median_search(tile, stakes.data(), rows, top, static_cast<u64>(rowless_stake), minority,
                      static_cast<int>(std::bit_width(highest)), median);
    } else {
      // Every entry passes a negative minority, so the answer is each column's smallest entry:
      // 0 when a voter scores 0 there (always, when one has no row), else its smallest score.
      std::copy_n(top, block, median);
      for (std::size_t row = 0; row < rows && rowless == 0; ++row)
        if (votes[row])
          for (std::size_t c = 0; c < block; ++c) median[c] = std::min(median[c], tile[row * block + c]);
      if (rowless > 0) std::fill(median, median + block, 0);
    }
    // §2.6-2.7's column sums while the tile is at hand: the ranks (stake times the score
    // clipped to C) and, with a penalty, the bought sums.
    const std::size_t j = t * block;
    k.block_ranks(tile, active.data(), rows, median, clip_only ? one : static_cast<u64>(penalty.raw()),
                  d.ranks.data() + j, clip_only ? nullptr : d.bought.data() + j);
    std::copy_n(median, block, d.consensus.data() + j);
  }
  for (std::size_t j = 0; j < n; ++j) st.consensus[j] = i32f32::from_raw(d.consensus[j]);
  normalize(std::span<const u64>(d.ranks.data(), n), st.incentive);
}

// §2.8: the EMA, its column shares, D, and the stored rows of new permit holders. False when an
// EMA entry reached 2^32 (nothing of `out` written yet).
bool dense_bonds(const epoch_input& in, epoch_state& st, old_bonds& old, dense_scratch& d, epoch_output& out) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n, columns = whole_tiles(n), tiles = columns / median_block, rows = matrix_rows(d);
  const std::vector<u64>& bought = d.bought.empty() ? d.ranks : d.bought;  // clipping only: the ranks
  for (auto* v : {&d.div_hi, &d.div_lo, &d.div2_hi, &d.div2_lo}) v->resize(columns);
  for (std::size_t j = 0; j < columns; ++j) {
    set_divisor(d.div_hi.data(), d.div_lo.data(), j, bought[j]);
    set_divisor(d.div2_hi.data(), d.div2_lo.data(), j, d.old_sums[j]);
  }
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool clip_only = penalty == i32f32::one();
  st.trust.assign(n, i32f32{});
  d.ema_sums.assign(columns, 0);
  d.column_max.assign(columns, 0);
  d.old_rows.resize(dense_group * columns);  // the group's old bonds by uid, 0 past n
  tile_pass p{};
  p.matrix = d.matrix.data();
  p.rows = rows;
  p.tiles = tiles;
  p.old = d.old_rows.data();
  p.consensus = d.consensus.data();
  p.penalty = static_cast<u64>(penalty.raw());
  p.alpha = static_cast<u64>(bonds_ema_rate(in.params.bonds_moving_average).raw());
  p.fresh_hi = d.div_hi.data();
  p.fresh_lo = d.div_lo.data();
  p.old_hi = d.div2_hi.data();
  p.old_lo = d.div2_lo.data();
  p.sums = d.ema_sums.data();
  p.maxima = d.column_max.data();
  u64 whole = 0;
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    u64 stake[dense_group], trust[dense_group];
    for (std::size_t g = 0; g < dense_group; ++g) {
      u32* old_row = d.old_rows.data() + g * columns;
      std::fill(old_row, old_row + columns, 0);
      stake[g] = 0;
      if (r0 + g >= d.rows.size()) continue;  // a row of zeros: 0 in, 0 out
      const u32 i = d.rows[r0 + g];
      stake[g] = static_cast<u64>(st.active_stake[i].raw());
      if (all_kept(in, old, i))
        for (const u16_entry& e : in.bonds[i]) old_row[e.uid] = e.value;
      else
        for (const u16_entry& e : in.bonds[i])
          if (old.kept(e.uid)) old_row[e.uid] = e.value;
    }
    p.first_row = r0;
    whole |= clip_only ? k.ema_tiles_clipped(p, stake, trust) : k.ema_tiles_penalty(p, stake, trust);
    for (std::size_t g = 0; g < dense_group && r0 + g < d.rows.size(); ++g)
      st.trust[d.rows[r0 + g]] = i32f32::from_raw(static_cast<std::int64_t>(trust[g]));
  }
  if (whole != 0) return false;
  // Per column: the divider by the EMA's sum, and by its largest entry's share.
  for (std::size_t j = 0; j < columns; ++j) {
    const share_divider by_sum(d.ema_sums[j]);
    set_divisor(d.div_hi.data(), d.div_lo.data(), j, d.ema_sums[j]);
    set_divisor(d.div2_hi.data(), d.div2_lo.data(), j, by_sum.div(d.column_max[j]));
  }
  st.dividends.assign(n, i32f32{});
  out.bonds.resize(n);
  // Rows outside the matrix hold no EMA entry; the matrix's rows are sized for every uid and cut
  // to what they hold (clearing them first would have their regrowth zero them every epoch).
  for (std::size_t i = 0, r = 0; i < n; ++i) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (st.permit_new[i] && !(r < d.rows.size() && d.rows[r] == i)) out.bonds[i].clear();
  }
  d.incentive.assign(columns, 0);
  for (std::size_t j = 0; j < n; ++j) d.incentive[j] = static_cast<u64>(st.incentive[j].raw());  // in [0, 2^32]
  p.incentive = d.incentive.data();
  p.sum_hi = d.div_hi.data();
  p.sum_lo = d.div_lo.data();
  p.max_hi = d.div2_hi.data();
  p.max_lo = d.div2_lo.data();
  static_assert(sizeof(u16_entry) == sizeof(u32) && std::endian::native == std::endian::little);
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    u32* stored[dense_group];  // each new permit holder's row, as u16_entry bytes; null: not stored
    for (std::size_t g = 0; g < dense_group; ++g) {
      stored[g] = nullptr;
      if (r0 + g >= d.rows.size() || !st.permit_new[d.rows[r0 + g]]) continue;
      u16_row& row = out.bonds[d.rows[r0 + g]];
      row.resize(n);
      stored[g] = reinterpret_cast<u32*>(row.data());
    }
    u64 dividend[dense_group];
    std::size_t count[dense_group];
    p.first_row = r0;
    k.share_tiles(p, stored, count, dividend);
    for (std::size_t g = 0; g < dense_group && r0 + g < d.rows.size(); ++g) {
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
