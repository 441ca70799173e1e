// The epoch's kernels compiled for three instruction sets, AVX-512 intrinsics where GCC's
// vectors fell short, and the choice among them (epoch_dense_kernels.hpp).
#include "epoch_dense_kernels.hpp"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <string_view>

#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace dense {
namespace {

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
                                       u64 base, u64 total, std::int64_t minority, int steps, u32* out) {
  static_assert(median_block == 16);
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
        const __m512i stake_odd = _mm512_set1_epi32(static_cast<int>(static_cast<u32>(stakes[v + 1])));
        odd = _mm512_mask_add_epi32(odd, in_odd, odd, stake_odd);
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
  const __m512i whole =
      _mm512_add_epi64(_mm512_mul_epu32(x, d.hi), _mm512_slli_epi64(_mm512_mul_epu32(x, d.hi_hi), 32));
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
      if constexpr (!clip_only) {
        const __m512i dropped = _mm512_mul_epu32(penalty, _mm512_sub_epi64(x, clipped));
        y = _mm512_sub_epi64(x, _mm512_srli_epi64(_mm512_add_epi64(dropped, round_up), 32));
      }
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

// floor(a * b / 2^32) on 8 lanes for a, b <= 2^32 (mul_share): a factor at 2^32 contributes
// the other whole.
SYNOD_AVX512 inline __m512i mul_share8(__m512i a, __m512i b, __m512i high32, __m512i low32) {
  __m512i product = _mm512_srli_epi64(_mm512_mul_epu32(a, b), 32);
  product = _mm512_mask_add_epi64(product, _mm512_test_epi64_mask(a, high32), product, b);
  return _mm512_mask_add_epi64(product, _mm512_test_epi64_mask(b, high32), product, _mm512_and_si512(a, low32));
}

// share_rows (Yuma 2: stored values upscaled by the column's largest share) and
// liquid_share_rows (Yuma 3: stored as they are) with AVX-512 intrinsics, for the same
// reasons; each 8 columns' entries above 0 are compressed together into the stored row.
template <bool upscaled>
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
    divisor8 by_max{};
    if constexpr (upscaled) by_max = load_divisor8(max_hi + j, max_lo + j, lanes);
    const __m512i inc = _mm512_maskz_loadu_epi64(lanes, incentive + j);
    for (std::size_t r = 0; r < dense_group; ++r) {
      const __m512i e = load_u32x8(w[r] + j, lanes);
      const __m512i b = share_div8(e, by_sum);  // at most 2^32: a column's sole entry
      d[r] = _mm512_add_epi64(d[r], mul_share8(b, inc, high32, low32));
      if (stored[r] == nullptr) continue;
      __m512i up = e;  // Yuma 3: the bond itself, below 2^32
      if constexpr (upscaled) {
        const __mmask8 b_full = _mm512_test_epi64_mask(b, high32);
        up = _mm512_mask_mov_epi64(share_div8(_mm512_and_si512(b, low32), by_max), b_full, full);
      }
      const __m512i value = _mm512_mask_mov_epi64(_mm512_srli_epi64(_mm512_mul_epu32(up, u16_one), 32),
                                                  _mm512_test_epi64_mask(up, high32), u16_one);
      const __mmask8 kept = _mm512_test_epi64_mask(e, e);  // entries above 0
      // Compressed in a register and stored whole (a compressing store to memory is slow on
      // Zen 4): the row has room for 8 past its end, and the next store overwrites the rest.
      const __m256i entries = _mm512_cvtepi64_epi32(_mm512_or_si512(uid, _mm512_slli_epi64(value, 16)));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(stored[r] + at[r]), _mm256_maskz_compress_epi32(kept, entries));
      at[r] += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(kept)));
    }
    uid = _mm512_add_epi64(uid, eight);
  }
  for (std::size_t r = 0; r < dense_group; ++r) dividend[r] = static_cast<u64>(_mm512_reduce_add_epi64(d[r]));
  std::copy_n(at, dense_group, count);
}

SYNOD_AVX512 void liquid_share_rows_avx512(const u32* const* w, std::size_t n, const u64* incentive,
                                           const u64* sum_hi, const u64* sum_lo, u32* const* stored, u64* dividend,
                                           std::size_t* count) {
  share_rows_avx512<false>(w, n, incentive, sum_hi, sum_lo, nullptr, nullptr, stored, dividend, count);
}

// liquid_rows with AVX-512 intrinsics: GCC leaves the scalar loop as it is (the listing's
// stores), and here each 8 columns' entries due an exponential are listed by one compress.
template <bool clip_only>
SYNOD_AVX512 u64 liquid_rows_avx512(u32* const* w, const u32* const* old, std::size_t n, const liquid_context& at,
                                    u64* trust, u32* const* todo, std::size_t* count) {
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(0xffffffff);
  const __m512i full = _mm512_set1_epi64(static_cast<std::int64_t>(one));
  const __m512i penalty = _mm512_set1_epi64(static_cast<std::int64_t>(at.penalty));
  const __m512i round_up = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  const __m512i rate0 = _mm512_set1_epi64(static_cast<std::int64_t>(at.rate0));
  const __m512i rate1 = _mm512_set1_epi64(static_cast<std::int64_t>(at.rate1));
  const __m512i u16_max = _mm512_set1_epi64(65535), u16_step = _mm512_set1_epi64(65537);
  const __m512i one_each = _mm512_set1_epi64(1);
  const bool liquid = at.liquid, zero_penalty = at.penalty == 0;
  __m256i uid = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
  const __m256i eight = _mm256_set1_epi32(8);
  __m512i sums_t[dense_group];
  for (auto& t : sums_t) t = _mm512_setzero_si512();
  std::size_t listed[dense_group] = {};
  __m512i whole = _mm512_setzero_si512();
  for (std::size_t j = 0; j < n; j += 8) {
    const auto lanes = static_cast<__mmask8>(n - j >= 8 ? 0xff : (1u << (n - j)) - 1);
    const __m512i c = load_u32x8(at.consensus + j, lanes);
    const __mmask8 no_consensus = _mm512_testn_epi64_mask(c, c);
    __m512i sum = _mm512_setzero_si512();
    for (std::size_t r = 0; r < dense_group; ++r) {
      const __m512i x = load_u32x8(w[r] + j, lanes), clipped = _mm512_min_epu64(x, c);
      sums_t[r] = _mm512_add_epi64(sums_t[r], clipped);
      __m512i y = clipped;
      __mmask8 held = static_cast<__mmask8>(~(no_consensus & _mm512_test_epi64_mask(x, x)));
      if constexpr (!clip_only) {
        const __m512i dropped = _mm512_mul_epu32(penalty, _mm512_sub_epi64(x, clipped));
        y = _mm512_sub_epi64(x, _mm512_srli_epi64(_mm512_add_epi64(dropped, round_up), 32));
        held = zero_penalty ? static_cast<__mmask8>(0xff) : _mm512_test_epi64_mask(y, y);
      }
      const __m512i o = load_u32x8(old[r] + j, lanes), stepped = _mm512_mul_epu32(o, u16_step);
      const __m512i bond = _mm512_mask_add_epi64(stepped, _mm512_cmpeq_epi64_mask(o, u16_max), stepped, one_each);
      __m512i rate = rate0;
      __mmask8 need = 0;
      if (liquid) {
        const __m512i lead = _mm512_sub_epi64(_mm512_max_epu64(y, c), c);  // max(y - c, 0)
        const __m512i diff = _mm512_mask_blend_epi64(_mm512_cmpge_epu64_mask(y, bond), _mm512_sub_epi64(bond, y), lead);
        const __mmask8 at_one = _mm512_cmpeq_epi64_mask(diff, full);
        rate = _mm512_mask_mov_epi64(rate0, at_one, rate1);
        need = static_cast<__mmask8>(held & _mm512_test_epi64_mask(diff, diff) & ~at_one & lanes);
      }
      __m512i v = _mm512_add_epi64(mul_share8(_mm512_sub_epi64(full, rate), bond, high32, low32),
                                   mul_share8(rate, y, high32, low32));
      v = _mm512_min_epu64(v, full);
      if (liquid) v = _mm512_maskz_mov_epi64(static_cast<__mmask8>(held & ~need), v);
      whole = _mm512_or_si512(whole, v);
      _mm256_mask_storeu_epi32(w[r] + j, lanes, _mm512_cvtepi64_epi32(_mm512_mask_mov_epi64(v, need, y)));
      sum = _mm512_add_epi64(sum, v);
      // As share_rows_avx512 stores its entries: each list has room for 8 past n.
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(todo[r] + listed[r]), _mm256_maskz_compress_epi32(need, uid));
      listed[r] += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(need)));
    }
    _mm512_mask_storeu_epi64(at.sums + j, lanes, _mm512_add_epi64(_mm512_maskz_loadu_epi64(lanes, at.sums + j), sum));
    uid = _mm256_add_epi32(uid, eight);
  }
  for (std::size_t r = 0; r < dense_group; ++r) trust[r] = static_cast<u64>(_mm512_reduce_add_epi64(sums_t[r]));
  std::copy_n(listed, dense_group, count);
  return static_cast<u64>(_mm512_reduce_or_epi64(whole)) >> 32;
}

// The sparse path's clip and share kernels below hand rows shorter than a vector (short_row:
// most rows at n = 256, where a validator weights 1% of the uids) to the .inc's loops,
// compiled for this set: there the vectors' setup and reductions cost more than they save.
// (compute_weights keeps such rows to its own loop.)
//
// weight_row (epoch_dense_kernels.inc) 16 entries at a time for the sum and 8 for the rest,
// each entry's u16 pair a 32-bit lane (uid low). The kept entries are compressed in a register
// and stored whole, 8 lanes (weight_row_slack); the column counts stay scalar (a scatter is no
// faster on this machine, and kept uids are distinct: each row's uids are).
SYNOD_AVX512 std::size_t weight_row_avx512(const u16_entry* row, std::size_t len, u32 n, u32 self,
                                           std::uint16_t* uid, u64* value, u32* voted) {
  static_assert(sizeof(u16_entry) == 4);
  const auto* pairs = reinterpret_cast<const u32*>(row);
  const __m512i low16 = _mm512_set1_epi32(0xffff);
  const __m512i limit = _mm512_set1_epi32(static_cast<int>(n)), own = _mm512_set1_epi32(static_cast<int>(self));
  __m512i sum = _mm512_setzero_si512();  // 16 lanes of at most 4,096 values each: below 2^28
  for (std::size_t k = 0; k < len; k += 16) {
    const auto lanes = static_cast<__mmask16>(len - k >= 16 ? 0xffff : (1u << (len - k)) - 1);
    const __m512i x = _mm512_maskz_loadu_epi32(lanes, pairs + k);
    const __m512i j = _mm512_and_si512(x, low16);
    const __mmask16 keep = _mm512_mask_cmplt_epu32_mask(lanes, j, limit) & _mm512_cmpneq_epu32_mask(j, own);
    sum = _mm512_mask_add_epi32(sum, keep, sum, _mm512_srli_epi32(x, 16));
  }
  // Reduced in 64-bit lanes: the 32-bit reduction adds as signed int, and a dense row of
  // 65,536 values sums past 2^31 (its total still fits 32 bits).
  const u64 total = static_cast<u64>(_mm512_reduce_add_epi64(
      _mm512_add_epi64(_mm512_cvtepu32_epi64(_mm512_castsi512_si256(sum)),
                       _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(sum, 1)))));
  const bool saturated = total >= (u64{1} << 31);
  const share_divider by(saturated ? 0 : total);
  const u64 hi = by.magic_hi(), lo = by.magic_lo();
  const divisor8 d{_mm512_set1_epi64(static_cast<std::int64_t>(hi)), _mm512_set1_epi64(static_cast<std::int64_t>(lo)),
                   _mm512_set1_epi64(static_cast<std::int64_t>(hi >> 32)),
                   _mm512_set1_epi64(static_cast<std::int64_t>(lo >> 32))};
  const __m256i low16_8 = _mm256_set1_epi32(0xffff);
  const __m256i limit8 = _mm256_set1_epi32(static_cast<int>(n)), own8 = _mm256_set1_epi32(static_cast<int>(self));
  std::size_t at = 0;
  for (std::size_t k = 0; k < len; k += 8) {
    const auto lanes = static_cast<__mmask8>(len - k >= 8 ? 0xff : (1u << (len - k)) - 1);
    const __m256i x = _mm256_maskz_loadu_epi32(lanes, pairs + k);
    const __m256i j = _mm256_and_si256(x, low16_8);
    const __mmask8 keep = _mm256_mask_cmplt_epu32_mask(lanes, j, limit8) & _mm256_cmpneq_epu32_mask(j, own8);
    const __m512i v = _mm512_cvtepu32_epi64(_mm256_srli_epi32(x, 16));
    const __m512i q = saturated ? _mm512_add_epi64(v, v) : share_div8(v, d);
    _mm512_storeu_si512(value + at, _mm512_maskz_compress_epi64(keep, q));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(uid + at), _mm256_cvtepi32_epi16(_mm256_maskz_compress_epi32(keep, j)));
    at += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(keep)));
  }
  if (voted != nullptr) {
    u32 sink = 0;
    for (std::size_t k = 0; k < len; ++k) {
      const u32 j = row[k].uid;
      *(j < n && j != self ? voted + j : &sink) += row[k].value != 0;
    }
  }
  return at;
}

// choose_columns (epoch_dense_kernels.inc) 16 columns at a time: the chosen columns compressed
// into the list, and their places (selected + 1 on) expanded into the chosen lanes of `slot`.
SYNOD_AVX512 std::size_t choose_columns_avx512(const u32* count, std::size_t n, u32 few, u32* slot, u32* chosen) {
  const __m512i limit = _mm512_set1_epi32(static_cast<int>(few));
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  std::size_t selected = 0;
  for (std::size_t j = 0; j < n; j += 16) {
    const auto lanes = static_cast<__mmask16>(n - j >= 16 ? 0xffff : (1u << (n - j)) - 1);
    const __mmask16 take = _mm512_mask_cmpgt_epu32_mask(lanes, _mm512_maskz_loadu_epi32(lanes, count + j), limit);
    const __m512i column = _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(j)));
    _mm512_storeu_si512(chosen + selected, _mm512_maskz_compress_epi32(take, column));
    const __m512i place = _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(selected + 1)));
    _mm512_mask_storeu_epi32(slot + j, lanes, _mm512_maskz_expand_epi32(take, place));
    selected += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(take)));
  }
  return selected;
}

// listed_and_top and column_rank (epoch_dense_kernels.inc) 8 scores at a time, the stakes
// gathered by voter (a few KiB: in the L1 cache); short columns are short_row's.
SYNOD_AVX512 u64 listed_and_top_avx512(const u64* e, std::size_t len, const std::int64_t* stake, u64& top) {
  if (len < 8) return avx512::listed_and_top(e, len, stake, top);
  const __m512i voter = _mm512_set1_epi64(static_cast<std::int64_t>(packed_voter_mask));
  __m512i listed = _mm512_setzero_si512(), most = listed;
  for (std::size_t k = 0; k < len; k += 8) {
    const auto lanes = static_cast<__mmask8>(len - k >= 8 ? 0xff : (1u << (len - k)) - 1);
    const __m512i x = _mm512_maskz_loadu_epi64(lanes, e + k);
    const __m512i s = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), lanes, _mm512_and_si512(x, voter), stake, 8);
    listed = _mm512_add_epi64(listed, s);  // masked lanes: 0
    most = _mm512_max_epu64(most, _mm512_srli_epi64(x, 31));
  }
  top = _mm512_reduce_max_epu64(most);
  return static_cast<u64>(_mm512_reduce_add_epi64(listed));
}

SYNOD_AVX512 u64 column_rank_avx512(const u64* e, std::size_t len, const std::int64_t* stake, u64 c) {
  if (len < 8) return avx512::column_rank(e, len, stake, c);
  const __m512i voter = _mm512_set1_epi64(static_cast<std::int64_t>(packed_voter_mask));
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  const __m512i consensus = _mm512_set1_epi64(static_cast<std::int64_t>(c));
  __m512i rank = _mm512_setzero_si512();
  for (std::size_t k = 0; k < len; k += 8) {
    const auto lanes = static_cast<__mmask8>(len - k >= 8 ? 0xff : (1u << (len - k)) - 1);
    const __m512i x = _mm512_maskz_loadu_epi64(lanes, e + k);
    const __m512i s = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), lanes, _mm512_and_si512(x, voter), stake, 8);
    const __m512i clipped = _mm512_min_epu64(_mm512_srli_epi64(x, 31), consensus);
    rank = _mm512_add_epi64(rank, mul_share8(s, clipped, high32, low32));  // masked lanes: 0 * 0
  }
  return static_cast<u64>(_mm512_reduce_add_epi64(rank));
}

// filter_bucket (epoch_dense_kernels.inc) 8 scores at a time, the kept ones compressed in a
// register and stored whole (in place, the 8 lanes end at or before the ones just read).
SYNOD_AVX512 std::size_t filter_bucket_avx512(const u64* e, std::size_t len, u64 lo, int shift, u64 b, u64* to) {
  const __m512i low = _mm512_set1_epi64(static_cast<std::int64_t>(lo));
  const __m512i bucket = _mm512_set1_epi64(static_cast<std::int64_t>(b));
  const __m128i by = _mm_cvtsi32_si128(shift);
  std::size_t kept = 0;
  for (std::size_t k = 0; k < len; k += 8) {
    const auto lanes = static_cast<__mmask8>(len - k >= 8 ? 0xff : (1u << (len - k)) - 1);
    const __m512i x = _mm512_maskz_loadu_epi64(lanes, e + k);
    const __m512i in = _mm512_srl_epi64(_mm512_sub_epi64(_mm512_srli_epi64(x, 31), low), by);
    const __mmask8 keep = _mm512_mask_cmpeq_epu64_mask(lanes, in, bucket);
    _mm512_storeu_si512(to + kept, _mm512_maskz_compress_epi64(keep, x));
    kept += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(keep)));
  }
  return kept;
}

// clip_row (epoch_dense_kernels.inc) 8 entries at a time: C gathered by uid, the kept entries
// compressed in a register. Stored with a mask, not whole: W~ overwrites W in place, and lanes
// past the row's kept entries could reach the next row's entries before they are read.
SYNOD_AVX512 std::size_t clip_row_avx512(std::uint16_t* uid, u64* value, std::size_t b, std::size_t e,
                                         std::size_t out, const u64* cons, u64 stake, bool scale, u64& trust) {
  if (e - b < 8) return avx512::clip_row(uid, value, b, e, out, cons, stake, scale, trust);  // short_row
  const __m512i zero = _mm512_setzero_si512();
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  const __m512i s = _mm512_set1_epi64(static_cast<std::int64_t>(stake));
  __m512i sum = zero;
  for (std::size_t k = b; k < e; k += 8) {
    const auto lanes = static_cast<__mmask8>(e - k >= 8 ? 0xff : (1u << (e - k)) - 1);
    const __m256i j = _mm256_cvtepu16_epi32(_mm_maskz_loadu_epi16(lanes, uid + k));
    const __m512i x = _mm512_maskz_loadu_epi64(lanes, value + k);
    const __m512i c = _mm512_mask_i32gather_epi64(zero, lanes, j, cons, 8);
    const __m512i v = _mm512_min_epu64(c, x);
    sum = _mm512_add_epi64(sum, v);
    const __m512i y = scale ? mul_share8(s, v, high32, low32) : v;
    const __mmask8 keep = _mm512_mask_cmpneq_epu64_mask(lanes, c, zero) | _mm512_mask_cmpeq_epu64_mask(lanes, x, zero);
    const auto kept = static_cast<__mmask8>((1u << std::popcount(static_cast<unsigned>(keep))) - 1);
    _mm512_mask_storeu_epi64(value + out, kept, _mm512_maskz_compress_epi64(keep, y));
    _mm_mask_storeu_epi16(uid + out, kept, _mm512_cvtepi64_epi16(_mm512_maskz_compress_epi64(keep, _mm512_cvtepu32_epi64(j))));
    out += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(keep)));
  }
  trust = static_cast<u64>(_mm512_reduce_add_epi64(sum));
  return out;
}

// share_div8 for x <= 2^32 (the .inc's share_div takes x below it): at 2^32 the quotient is
// (2^32 * hi + the high word of 2^32 * lo) >> 4, with hi at most 16 there (the divisor is at
// least x).
SYNOD_AVX512 inline __m512i share_div8_upto(__m512i x, const divisor8& d, __m512i high32) {
  const __m512i at_one = _mm512_srli_epi64(_mm512_add_epi64(_mm512_slli_epi64(d.hi, 32), d.lo_hi), 4);
  return _mm512_mask_mov_epi64(share_div8(x, d), _mm512_test_epi64_mask(x, high32), at_one);
}

// share_row (epoch_dense_kernels.inc) 8 entries at a time: each column's divisor words and
// incentive gathered by uid, which also keeps 40 loads in flight where the scalar loop waited
// on each column's (its arrays outgrow the L2 cache at n = 65,536).
SYNOD_AVX512 u64 share_row_avx512(const std::uint16_t* uid, const u64* value, std::size_t len, const u64* divisors,
                                  const u64* incentive, u16_entry* stored) {
  if (len < 8) return avx512::share_row(uid, value, len, divisors, incentive, stored);  // short_row
  const __m512i zero = _mm512_setzero_si512();
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  __m512i sum = zero;
  for (std::size_t k = 0; k < len; k += 8) {
    const auto lanes = static_cast<__mmask8>(len - k >= 8 ? 0xff : (1u << (len - k)) - 1);
    const __m256i j = _mm256_cvtepu16_epi32(_mm_maskz_loadu_epi16(lanes, uid + k));
    const __m256i at = _mm256_slli_epi32(j, 2);  // 4 words a column
    const __m512i x = _mm512_maskz_loadu_epi64(lanes, value + k);
    const __m512i fresh_lo = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors, 8);
    const __m512i fresh_hi = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors + 1, 8);
    const __m512i inc = _mm512_mask_i32gather_epi64(zero, lanes, j, incentive, 8);
    const __m512i v = share_div8_upto(
        x, {fresh_hi, fresh_lo, _mm512_srli_epi64(fresh_hi, 32), _mm512_srli_epi64(fresh_lo, 32)}, high32);
    sum = _mm512_add_epi64(sum, mul_share8(inc, v, high32, low32));
    if (stored == nullptr) continue;
    const __m512i old_lo = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors + 2, 8);
    const __m512i old_hi = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors + 3, 8);
    const __m512i up =
        share_div8_upto(v, {old_hi, old_lo, _mm512_srli_epi64(old_hi, 32), _mm512_srli_epi64(old_lo, 32)}, high32);
    const __m512i u16 = _mm512_srli_epi64(_mm512_sub_epi64(_mm512_slli_epi64(up, 16), up), 32);  // up * 65535 >> 32
    const __m512i pair = _mm512_or_si512(_mm512_cvtepu32_epi64(j), _mm512_slli_epi64(u16, 16));
    _mm256_mask_storeu_epi32(stored + k, lanes, _mm512_cvtepi64_epi32(pair));
  }
  return static_cast<u64>(_mm512_reduce_add_epi64(sum));
}

// liquid_dividend_row (epoch_dense_kernels.inc) 8 entries at a time, for the same reasons as
// share_row: each column's divisor words and incentive gathered by uid. A bond below 2^32 is
// divided as share_div8 divides, shifted by its column's k - 64 rather than 4; one at 2^32 takes
// (2^32 * hi + the high word of 2^32 * lo) >> shift.
SYNOD_AVX512 u64 liquid_dividend_row_avx512(const std::uint16_t* uid, const u64* value, std::size_t len,
                                            const u64* divisors, const u64* incentive, u16_entry* stored) {
  if (len < 8) return avx512::liquid_dividend_row(uid, value, len, divisors, incentive, stored);  // short_row
  const __m512i zero = _mm512_setzero_si512();
  const __m512i high32 = _mm512_set1_epi64(static_cast<std::int64_t>(~u64{0} << 32));
  const __m512i low32 = _mm512_set1_epi64(static_cast<std::int64_t>(one - 1));
  const __m512i u16_one = _mm512_set1_epi64(65535);
  __m512i sum = zero;
  for (std::size_t k = 0; k < len; k += 8) {
    const auto lanes = static_cast<__mmask8>(len - k >= 8 ? 0xff : (1u << (len - k)) - 1);
    const __m256i j = _mm256_cvtepu16_epi32(_mm_maskz_loadu_epi16(lanes, uid + k));
    const __m256i at = _mm256_add_epi32(_mm256_slli_epi32(j, 1), j);  // 3 words a column
    const __m512i x = _mm512_maskz_loadu_epi64(lanes, value + k);
    const __m512i lo = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors, 8);
    const __m512i hi = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors + 1, 8);
    const __m512i shift = _mm512_mask_i32gather_epi64(zero, lanes, at, divisors + 2, 8);
    const __m512i inc = _mm512_mask_i32gather_epi64(zero, lanes, j, incentive, 8);
    const divisor8 d{hi, lo, _mm512_srli_epi64(hi, 32), _mm512_srli_epi64(lo, 32)};
    const __m512i carry = _mm512_srli_epi64(_mm512_mul_epu32(x, d.lo), 32);
    const __m512i high = _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epu32(x, d.lo_hi), carry), 32);
    const __m512i whole =
        _mm512_add_epi64(_mm512_mul_epu32(x, d.hi), _mm512_slli_epi64(_mm512_mul_epu32(x, d.hi_hi), 32));
    const __m512i at_one = _mm512_add_epi64(_mm512_slli_epi64(d.hi, 32), d.lo_hi);
    const __mmask8 full = _mm512_test_epi64_mask(x, high32);
    const __m512i share =
        _mm512_srlv_epi64(_mm512_mask_mov_epi64(_mm512_add_epi64(whole, high), full, at_one), shift);
    sum = _mm512_add_epi64(sum, mul_share8(share, inc, high32, low32));
    if (stored == nullptr) continue;
    const __m512i u16 =
        _mm512_mask_mov_epi64(_mm512_srli_epi64(_mm512_mul_epu32(x, u16_one), 32), full, u16_one);  // x * 65535 >> 32
    const __m512i pair = _mm512_or_si512(_mm512_cvtepu32_epi64(j), _mm512_slli_epi64(u16, 16));
    _mm256_mask_storeu_epi32(stored + k, lanes, _mm512_cvtepi64_epi32(pair));
  }
  return static_cast<u64>(_mm512_reduce_add_epi64(sum));
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
  k.share_rows = &share_rows_avx512<true>;
  k.liquid_rows_clipped = &liquid_rows_avx512<true>;
  k.liquid_rows_penalty = &liquid_rows_avx512<false>;
  k.liquid_share_rows = &liquid_share_rows_avx512;
  k.weight_row = &weight_row_avx512;
  k.choose_columns = &choose_columns_avx512;
  k.listed_and_top = &listed_and_top_avx512;
  k.column_rank = &column_rank_avx512;
  k.filter_bucket = &filter_bucket_avx512;
  k.clip_row = &clip_row_avx512;
  k.share_row = &share_row_avx512;
  k.liquid_dividend_row = &liquid_dividend_row_avx512;
  return k;
}

// The set use_dense_kernels chose, if any.
std::atomic<const kernel_set*> forced_kernels{nullptr};

}  // namespace

const kernel_set& kernels() {
  if (const kernel_set* k = forced_kernels.load(std::memory_order_relaxed)) return *k;
  static const kernel_set best = has_avx512()                   ? avx512_kernels()
                                 : __builtin_cpu_supports("avx2") ? avx2::make_kernels()
                                                                  : base::make_kernels();
  return best;
}

bool pays() {
  static const bool vectors = __builtin_cpu_supports("avx2");  // AVX-512 CPUs have it too
  return vectors || forced_kernels.load(std::memory_order_relaxed) != nullptr;
}

bool use(std::string_view isa) {
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

}  // namespace dense

bool use_dense_kernels(std::string_view isa) { return dense::use(isa); }

}  // namespace synod::consensus::detail
