#pragma once
// The epoch's kernels: the dense path's (epoch_dense.cpp) and the compressed-row steps' row and
// column passes (weight_row to share_row): their types and the set this CPU runs. Internal to
// the component.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synod/consensus/sparse.hpp"

namespace synod::consensus::detail::dense {

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

// What Yuma 3's bond pass reads per column, and its rates (liquid_rows). With liquid alpha,
// rate0 and rate1 are the rates of a clamped difference of 0 and of 1.0, and an entry whose
// difference lies between needs its own (an exponential, left to the caller); without, both
// are the one EMA rate and every column's old bond decays.
struct liquid_context {
  const u32* consensus;
  u64 penalty, rate0, rate1;
  bool liquid;
  u64* sums;
};

/// One instruction set's kernels (epoch_dense_kernels.inc).
struct kernel_set {
  void (*median_search)(const u32*, const u64*, std::size_t, const u32*, u64, u64, std::int64_t, int, u32*);
  u64 (*row_total)(const u16_entry*, std::size_t, bool&);
  u64 (*normalize_span)(const u16_entry*, u32*, std::size_t, std::size_t, bool, u64, u64, u32*, bool);
  void (*block_ranks)(const u32*, const u64*, std::size_t, const u32*, u64, u64*, u64*);
  u64 (*ema_rows_clipped)(u32* const*, const u32* const*, const u64*, std::size_t, const ema_context&, u64*);
  u64 (*ema_rows_penalty)(u32* const*, const u32* const*, const u64*, std::size_t, const ema_context&, u64*);
  void (*share_rows)(const u32* const*, std::size_t, const u64*, const u64*, const u64*, const u64*, const u64*,
                     u32* const*, u64*, std::size_t*);
  u64 (*liquid_rows_clipped)(u32* const*, const u32* const*, std::size_t, const liquid_context&, u64*, u32* const*,
                             std::size_t*);
  u64 (*liquid_rows_penalty)(u32* const*, const u32* const*, std::size_t, const liquid_context&, u64*, u32* const*,
                             std::size_t*);
  void (*liquid_share_rows)(const u32* const*, std::size_t, const u64*, const u64*, const u64*, u32* const*, u64*,
                            std::size_t*);
  bool (*ascending)(const u16_entry*, const u16_entry*);
  // The compressed-row steps' (their .inc versions say what each does).
  std::size_t (*weight_row)(const u16_entry*, std::size_t, u32, u32, std::uint16_t*, u64*, u32*);
  std::size_t (*choose_columns)(const u32*, std::size_t, u32, u32*, u32*);
  u64 (*listed_and_top)(const u64*, std::size_t, const std::int64_t*, u64&);
  u64 (*column_rank)(const u64*, std::size_t, const std::int64_t*, u64);
  std::size_t (*filter_bucket)(const u64*, std::size_t, u64, int, u64, u64*);
  std::size_t (*clip_row)(std::uint16_t*, u64*, std::size_t, std::size_t, std::size_t, const u64*, u64, bool, u64&);
  u64 (*share_row)(const std::uint16_t*, const u64*, std::size_t, const u64*, const u64*, u16_entry*);
  bool (*activity)(const u64*, const u64*, std::size_t, u64, u64, u64, char*, char*, u64&);
  u64 (*liquid_dividend_row)(const std::uint16_t*, const u64*, std::size_t, const u64*, const u64*, u16_entry*);
};

/// Room the outputs of weight_row, choose_columns and filter_bucket need past their last entry: whole
/// vectors are stored.
constexpr std::size_t weight_row_slack = 8;
constexpr std::size_t choose_columns_slack = 16;
constexpr std::size_t filter_bucket_slack = 8;
/// The voter's bits of a packed score (score << 31 | voter; column_medians' packed_scores).
constexpr u64 packed_voter_mask = (u64{1} << 31) - 1;

/// The kernels this CPU runs best (AVX-512, AVX2 or the baseline, as it has them), unless
/// use_dense_kernels (epoch_steps.hpp) chose a set. Every set gives the same results.
const kernel_set& kernels();
/// Whether the dense path beats the compressed-row steps here: with AVX2 or AVX-512 (the
/// baseline kernels are slower than those steps), or when use_dense_kernels chose a set.
bool pays();
/// use_dense_kernels (epoch_steps.hpp).
bool use(std::string_view isa);

}  // namespace synod::consensus::detail::dense
