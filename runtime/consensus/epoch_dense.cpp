// Yuma on dense weights (subtensor-economics.md §2.4-2.10): the usual shape of a subnet whose
// validators all score every uid. The results are those of the compressed-row steps, bit for
// bit; the work runs over one matrix of 32-bit values per validator row (W, then the bonds
// over it) instead of merging (uid, value) lists, in plain array passes compiled for the
// baseline, AVX2 and AVX-512 (epoch_dense_kernels.inc; AVX-512 intrinsics where GCC's vectors
// fell short), picked by the CPU. The passes: row sums and W; per 16 columns the median by
// bisection, with the ranks; the bonds (W~ computed on the fly) 8 rows at a time; the shares,
// dividends and stored rows 8 rows at a time. Yuma 3's bond passes are in
// epoch_dense_yuma3.cpp.
//
// It applies (dense_rows, old_column_sums) when: stakes are proportions; the EMA rate lies
// strictly between 0 and 1 (Yuma 2) or in [0, 1] (Yuma 3); the rows holding a permit and
// weights ascend and together name at least half of what full rows would (a shorter row is
// spread over zeros: for W a missing weight and a zero one give the same epoch); no other row
// holds bonds; with Yuma 2, old bond columns sum below 2^31. Then, as in epoch_bonds_fast.cpp,
// every value lies in [0, 2^32] and every division is a share_divider's. Only a few values can
// reach 2^32 (a column's sole holder), which the loops pick out. A weight that would normalize
// to 2^32 (a row with one non-zero weight) or a bond of 2^32 does not fit the matrix: the epoch
// goes back to the compressed-row steps, which recompute everything this path wrote.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "epoch_dense.hpp"

namespace synod::consensus::detail {
namespace dense {
namespace {

// Whether the epoch has the dense path's shape (see the top of the file) as far as its rows
// go; fills d.rows when it does.
bool dense_rows(const epoch_input& in, const epoch_state& st, dense_scratch& d) {
  const std::size_t n = st.n;
  if (n == 0) return false;
  const std::int64_t rate = bonds_ema_rate(in.params.bonds_moving_average).raw(), whole = one;
  // Yuma 3's rates (liquid alpha's, or this one without it) mix bonds in [0, 1] as they are.
  if (in.params.yuma3 ? rate < 0 || rate > whole : rate <= 0 || rate >= whole) return false;
  // The rows of permit holders with weights, from the list of permit holders: a sparse subnet is
  // told from a dense one without a pass over every uid.
  d.rows.clear();
  std::size_t entries = 0, deferred = 0;
  for (std::uint32_t i : st.permitted) {
    const u16_row& w = in.weights[i];
    if (w.empty()) continue;
    // A row naming every uid was left unchecked by check_input: normalize_rows checks it names
    // them in order. A shorter one was checked, and is spread over a row of zeros if it ascends.
    if (st.weights_ascending[i] == 0) return false;
    deferred += st.weights_ascending[i] == unchecked;
    entries += w.size();
    d.rows.push_back(i);
  }
  // Mostly full rows: below half, the compressed rows are the shorter work.
  if (d.rows.empty() || 2 * entries < d.rows.size() * n) return false;
  // An unchecked row none of these is (no permit): nothing here reads it, finish_row_checks will.
  if (deferred != st.deferred_weight_rows) return false;
  // Bonds only in these rows (both lists ascend).
  std::size_t r = 0;
  for (std::uint32_t i : st.bond_rows) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (r == d.rows.size() || d.rows[r] != i) return false;
  }
  return st.proportions;  // every A in [0, 1] (compute_stake)
}

// Whether every old bond of row i counts: none to a uid past n (the row ascends) or registered
// since the previous epoch. Then a loop over the row needs no test per entry.
bool all_kept(const epoch_input& in, const old_bonds& old, std::size_t i) {
  const u16_row& row = in.bonds[i];
  return old.all_kept() && (row.empty() || row.back().uid < in.stake.size()) && old.ascending(i);
}

// Walks a bond row whose uids strictly ascend below n (as all_kept finds it): run(j, e, count)
// for `count` entries e naming the uids j, j + 1, ...; gap(j, u) for the uids [j, u) it does
// not name, up to n. The usual row lacks only its own uid and the few whose bond floored to 0,
// so it goes 16 consecutive uids at a time (a count the compiler knows: plain vector copies),
// an entry at a time only around the gaps.
template <class Run, class Gap>
void for_each_run(const u16_row& row, std::size_t n, Run run, Gap gap) {
  constexpr std::integral_constant<std::size_t, 16> chunk;
  constexpr std::integral_constant<std::size_t, 1> single;
  const u16_entry* e = row.data();
  const std::size_t size = row.size();
  std::size_t k = 0, next = 0;
  while (k < size) {
    if (k + chunk <= size && e[k].uid == next && e[k + chunk - 1].uid == next + chunk - 1) {
      run(next, e + k, chunk);  // ascending: the chunk's ends name all between
      k += chunk;
      next += chunk;
      continue;
    }
    const std::size_t u = e[k].uid;
    gap(next, u);
    run(u, e + k, single);
    next = u + 1;
    ++k;
  }
  gap(next, n);
}

// Whether the dense rows' bond rows that check_input left unchecked ascend (when one does not,
// finish_row_checks sorts it out).
bool bond_rows_ascend(const epoch_input& in, epoch_state& st, const dense_scratch& d) {
  for (u32 i : d.rows) {
    const u16_row& row = in.bonds[i];
    if (st.bonds_ascending[i] != unchecked) continue;
    if (!strictly_ascending(row.data(), row.data() + row.size())) return false;
    st.bonds_ascending[i] = 1;
  }
  return true;
}

// Yuma 2: the old bonds' integer column sums into d.old_sums; false when one reaches 2^31.
bool old_column_sums(const epoch_input& in, const old_bonds& old, dense_scratch& d) {
  d.old_sums.assign(in.stake.size(), 0);
  u64* sums = d.old_sums.data();
  for (u32 i : d.rows) {
    const u16_row& row = in.bonds[i];
    if (!all_kept(in, old, i)) {
      for (const u16_entry& e : row)
        if (old.kept(e.uid)) sums[e.uid] += e.value;  // kept() is false past n
      continue;
    }
    auto add = [&](std::size_t j, const u16_entry* e, auto count) {
      for (std::size_t c = 0; c < count; ++c) sums[j + c] += e[c].value;
    };
    for_each_run(row, in.stake.size(), add, [](std::size_t, std::size_t) {});
  }
  return std::all_of(d.old_sums.begin(), d.old_sums.end(), [](u64 t) { return t < (u64{1} << 31); });
}

// --- The steps. ---

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
// The median's voters (stake > 0; voting_stake in median_columns.cpp): the matrix rows of those
// that have one, with their stakes re-normalized among all voters and as they are; the voters
// without a row, which score 0 everywhere (the zero group starts with them); the total.
struct median_voters {
  std::vector<const u32*> rows;
  std::vector<u64> stakes, active;
  std::int64_t total = 0, rowless_stake = 0;
  std::size_t rowless = 0;
};

median_voters find_voters(const epoch_state& st, const dense_scratch& d) {
  median_voters v;
  fixed_vector voter_stakes;
  std::vector<std::size_t> at;  // per voter: its matrix row, or SIZE_MAX
  for (std::size_t i = 0, r = 0; i < st.n; ++i) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (!(st.active_stake[i] > i32f32{})) continue;
    voter_stakes.push_back(st.active_stake[i]);
    at.push_back(r < d.rows.size() && d.rows[r] == i ? r : SIZE_MAX);
  }
  normalize(voter_stakes);
  v.total = sum(voter_stakes).raw();
  for (std::size_t k = 0; k < at.size(); ++k) {
    const std::int64_t stake = voter_stakes[k].raw();
    if (at[k] == SIZE_MAX) {
      v.rowless_stake += stake;
      ++v.rowless;
      continue;
    }
    v.rows.push_back(d.matrix.data() + at[k] * st.n);
    v.stakes.push_back(static_cast<u64>(stake));
    v.active.push_back(static_cast<u64>(st.active_stake[d.rows[at[k]]].raw()));
  }
  return v;
}

void dense_medians(const epoch_input& in, epoch_state& st, dense_scratch& d) {
  const std::size_t n = st.n;
  const median_voters voters = find_voters(st, d);
  const std::int64_t minority =
      (i32f32::from_raw(voters.total) - i32f32::from_u16_proportion(in.params.kappa)).raw();
  st.consensus.resize(n);  // every column written below
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  // Yuma 2 with a penalty below 1 buys bonds with stake * W~, whose column sums are taken here
  // (clipping only, they are the ranks); Yuma 3 buys with W~ itself.
  const bool clip_only = penalty == i32f32::one() || in.params.yuma3;
  d.ranks.resize(n);  // every column written below
  d.bought.resize(clip_only ? 0 : n);
  const kernel_set& k = kernels();
  constexpr std::size_t block = median_block;
  // Each block's scores, copied together: the bisection reads them a score bit at a time, and
  // in the matrix a block's rows lie a row apart, often a power of two that maps them all to a
  // few cache sets.
  d.block.resize(voters.rows.size() * block);
  u32 top[block], median[block];
  u64 ranks[block], bought[block];
  for (std::size_t c0 = 0; c0 < n; c0 += block) {
    const std::size_t width = std::min(block, n - c0);
    for (std::size_t v = 0; v < voters.rows.size(); ++v) {  // the matrix is padded for the last block's reads
      // Rows a matrix row apart defeat the hardware's prefetch: fetch the next block's ahead.
      __builtin_prefetch(voters.rows[v] + c0 + 2 * block);
      std::memcpy(d.block.data() + v * block, voters.rows[v] + c0, block * sizeof(u32));
    }
    std::fill(top, top + block, 0);  // columns past n: settled at 0
    std::copy_n(d.top.data() + c0, width, top);
    if (minority >= 0) {
      const u32 highest = *std::max_element(top, top + block);
      k.median_search(d.block.data(), voters.stakes.data(), voters.rows.size(), top,
                      static_cast<u64>(voters.rowless_stake), static_cast<u64>(voters.total), minority,
                      static_cast<int>(std::bit_width(highest)), median);
    } else {
      // Every entry passes a negative minority, so the answer is each column's smallest entry:
      // 0 when a voter scores 0 there (always, when one has no row), else its smallest score.
      std::copy_n(top, block, median);
      for (std::size_t v = 0; v < voters.rows.size() && voters.rowless == 0; ++v)
        for (std::size_t c = 0; c < block; ++c) median[c] = std::min(median[c], d.block[v * block + c]);
      if (voters.rowless > 0) std::fill(median, median + block, 0);
    }
    // §2.6-2.7's column sums while the block is at hand: the ranks (stake times the score
    // clipped to C) and, with a penalty, the bought sums. Rows without stake add nothing.
    k.block_ranks(d.block.data(), voters.active.data(), voters.rows.size(), median,
                  clip_only ? one : static_cast<u64>(penalty.raw()), ranks, bought);
    for (std::size_t c = 0; c < width; ++c) {
      st.consensus[c0 + c] = i32f32::from_raw(median[c]);
      d.ranks[c0 + c] = ranks[c];
      if (!clip_only) d.bought[c0 + c] = bought[c];
    }
  }
  normalize(d.ranks, st.incentive);
}

}  // namespace

void set_divisor(u64* hi, u64* lo, std::size_t j, u64 d) {
  const share_divider s(d);
  hi[j] = s.magic_hi();
  lo[j] = s.magic_lo();
}

void spread_bonds(const epoch_input& in, const old_bonds& old, std::size_t i, u32* old_row) {
  const std::size_t n = in.stake.size();
  const u16_row& bonds = in.bonds[i];
  if (all_kept(in, old, i)) {  // zeros written only in the gaps
    auto copy = [&](std::size_t j, const u16_entry* e, auto count) {
      for (std::size_t c = 0; c < count; ++c) old_row[j + c] = e[c].value;
    };
    for_each_run(bonds, n, copy, [&](std::size_t j, std::size_t u) { std::fill(old_row + j, old_row + u, 0); });
    return;
  }
  std::fill(old_row, old_row + n, 0);
  for (const u16_entry& e : bonds)
    if (old.kept(e.uid)) old_row[e.uid] = e.value;
}

namespace {

// §2.8's EMA over the matrix, 8 rows at a time, with its column sums and maxima, and each row's
// trust. False when an entry reached 2^32.
bool dense_ema(const epoch_input& in, epoch_state& st, const old_bonds& old, dense_scratch& d) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n, rows = d.rows.size();
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
  // Scratch rows: each group member's old bonds by uid; and a row of zeros (with a writable
  // twin) standing for the members a short last group lacks: 0 in, 0 out.
  d.old_rows.resize((dense_group + 2) * n);
  u32* const zero_row = d.old_rows.data() + dense_group * n;
  std::fill(zero_row, zero_row + 2 * n, 0);
  u64 whole = 0;
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    u32* w[dense_group];
    const u32* old_of[dense_group];
    u64 stake[dense_group] = {}, trust[dense_group];
    for (std::size_t g = 0; g < dense_group; ++g) {
      const bool member = r0 + g < rows;
      w[g] = member ? d.matrix.data() + (r0 + g) * n : zero_row + n;
      old_of[g] = member ? d.old_rows.data() + g * n : zero_row;
      if (!member) continue;
      spread_bonds(in, old, d.rows[r0 + g], d.old_rows.data() + g * n);
      stake[g] = static_cast<u64>(st.active_stake[d.rows[r0 + g]].raw());
    }
    whole |= clip_only ? k.ema_rows_clipped(w, old_of, stake, n, at, trust)
                       : k.ema_rows_penalty(w, old_of, stake, n, at, trust);
    for (std::size_t g = 0; g < dense_group && r0 + g < rows; ++g)
      st.trust[d.rows[r0 + g]] = i32f32::from_raw(static_cast<std::int64_t>(trust[g]));
  }
  return whole == 0;
}

// §2.8's column shares of the EMA, D, and the stored rows of new permit holders, 8 rows at a
// time.
void dense_shares(epoch_state& st, dense_scratch& d, epoch_output& out) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n;
  // Per column: the divider by the EMA's sum, and by its largest entry's share.
  for (std::size_t j = 0; j < n; ++j) {
    const share_divider by_sum(d.ema_sums[j]);
    set_divisor(d.div_hi.data(), d.div_lo.data(), j, d.ema_sums[j]);
    set_divisor(d.div2_hi.data(), d.div2_lo.data(), j, by_sum.div(d.column_max[j]));
  }
  const auto* incentive = reinterpret_cast<const u64*>(st.incentive.data());  // each in [0, 2^32]
  auto kernel = [&](const share_group& g, u64* dividend, std::size_t* count) {
    k.share_rows(g.w, n, incentive, d.div_hi.data(), d.div_lo.data(), d.div2_hi.data(), d.div2_lo.data(), g.stored,
                 dividend, count);
  };
  share_groups(st, d, out, kernel, [](u32, u64 sum) { return i32f32::from_raw(static_cast<std::int64_t>(sum)); });
}

}  // namespace

void clear_rowless_bonds(const epoch_state& st, const dense_scratch& d, epoch_output& out) {
  // The matrix's rows are resized by group_for_shares (clearing them first would have their
  // regrowth zero them every epoch).
  out.bonds.resize(st.n);
  for (std::size_t i = 0, r = 0; i < st.n; ++i) {
    while (r < d.rows.size() && d.rows[r] < i) ++r;
    if (st.permit_new[i] && !(r < d.rows.size() && d.rows[r] == i)) out.bonds[i].clear();
  }
}

share_group group_for_shares(const epoch_state& st, const dense_scratch& d, std::size_t r0, const u32* zero,
                             epoch_output& out) {
  static_assert(sizeof(u16_entry) == sizeof(u32) && std::endian::native == std::endian::little);
  const std::size_t n = st.n, rows = d.rows.size();
  share_group g;
  for (std::size_t r = 0; r < dense_group; ++r) {
    g.w[r] = r0 + r < rows ? d.matrix.data() + (r0 + r) * n : zero;
    g.stored[r] = nullptr;
    if (r0 + r >= rows || !st.permit_new[d.rows[r0 + r]]) continue;
    u16_row& row = out.bonds[d.rows[r0 + r]];
    row.resize(n + 8);  // cut to what it holds by the caller: room for a kernel's last 8-entry store
    g.stored[r] = reinterpret_cast<u32*>(row.data());
  }
  return g;
}

}  // namespace dense

bool dense_epoch(const epoch_input& in, epoch_state& st, epoch_output& out) {
  using namespace dense;
  dense_scratch& d = st.dense;
  if (!pays() || !dense_rows(in, st, d) || !bond_rows_ascend(in, st, d)) return false;
  old_bonds old(in, st);
  if (!in.params.yuma3 && !old_column_sums(in, old, d)) return false;
  if (!normalize_rows(in, st, d)) return false;
  dense_medians(in, st, d);
  // A bond of 2^32 does not fit the matrix: nothing of `out` is written yet.
  if (in.params.yuma3 ? !liquid_bonds(in, st, old, d) : !dense_ema(in, st, old, d)) return false;
  if (in.params.yuma3)
    liquid_dividends(st, d, out);
  else
    dense_shares(st, d, out);
  return true;
}

}  // namespace synod::consensus::detail
