// Bonds and dividends (subtensor-economics.md §2.7-2.9; subtensor `run_epoch.rs`
// `compute_bonds`, `compute_dividends`, `compute_ema_bonds*`).
#include <algorithm>
#include <array>
#include <iterator>
#include <span>
#include <utility>

#include "epoch_dense_kernels.hpp"
#include "epoch_steps.hpp"

namespace synod::consensus::detail {

// 1 - bma / 1e6, the quotient taken in I64F64 and narrowed before the subtraction, as the
// chain does: bma 900000 gives raw 429496730 rather than 0.1 rounded.
i32f32 bonds_ema_rate(std::uint64_t bma) {
  const auto ratio =
      i64f64::from_raw(static_cast<i128>((static_cast<u128>(bma) << 64) / 1'000'000));
  return i32f32::one() - ratio.to_i32f32();
}

namespace {

// Row i's alpha * fresh + (1 - alpha) * old over the union of columns, handing put(uid, value)
// the entries > 0 in uid order; fresh_at and old_at give an entry's value (a W~ entry by its
// index, a stored bond), skipped bonds (old.kept) left out.
template <class FreshAt, class OldAt, class Put>
void ema_row(const csr& fresh, std::size_t i, old_bonds& old, i32f32 alpha, FreshAt fresh_at, OldAt old_at, Put put) {
  const i32f32 keep = i32f32::one() - alpha;
  const std::span<const u16_entry> row = old.row(i);
  std::size_t f = fresh.begin(i);
  const std::size_t fe = fresh.end(i);
  auto o = row.begin();
  while (o != row.end() && !old.kept(o->uid)) ++o;
  while (f != fe || o != row.end()) {
    const std::uint16_t u = o == row.end() || (f != fe && fresh.uid[f] < o->uid) ? fresh.uid[f] : o->uid;
    i32f32 acc;  // each product floored before the sum, as the chain's sparse EMA does
    if (f != fe && fresh.uid[f] == u) acc = acc + alpha * fresh_at(f++);
    if (o != row.end() && o->uid == u) {
      acc = acc + keep * old_at(*o);
      do ++o; while (o != row.end() && !old.kept(o->uid));
    }
    if (acc > i32f32{}) put(u, acc);
  }
}

// Row-wise alpha * fresh + (1 - alpha) * old over the union of columns, keeping entries > 0,
// each input first divided by its column's divider where one is given (col_normalize, fused);
// `sums` receives the column sums of the result.
void ema_rows(const csr& fresh, old_bonds& old, i32f32 alpha, std::vector<i32f32>& sums,
              std::span<const divider> fresh_div, std::span<const divider> old_div, csr& out) {
  auto fresh_at = [&](std::size_t k) {
    return fresh_div.empty() ? fresh.value[k] : fresh_div[fresh.uid[k]].div_or_keep(fresh.value[k]);
  };
  auto old_at = [&](const u16_entry& e) {
    return old_div.empty() ? old.value(e.value) : old_div[e.uid].div_or_keep(old.value(e.value));
  };
  out.clear();
  out.reserve(fresh.rows(), fresh.uid.size() + old.entries());
  for (std::size_t i = 0; i < fresh.rows(); ++i) {
    ema_row(fresh, i, old, alpha, fresh_at, old_at, [&](std::uint16_t u, i32f32 acc) {
      out.push(u, acc);
      sums[u] = sums[u] + acc;
    });
    out.start.push_back(out.uid.size());
  }
}

// ema_rows of Yuma 3 (no column dividers) over the rows that can hold an entry, those of W~ or
// of the stored bonds, listed into st.ema_rows; the columns whose sum comes above 0 into
// st.sum_columns. `sums` must be 0 on entry. Rows between read as empty (their starts are set);
// the entries are written through pointers into space kept from epoch to epoch, as
// liquid_alpha_ema's are: on a sparse subnet most rows and columns are never visited.
void listed_ema_rows(epoch_state& st, old_bonds& old, i32f32 alpha, std::vector<i32f32>& sums, csr& out) {
  const csr& fresh = st.bond_weights;
  out.size_for(st.n, fresh.uid.size() + old.entries());
  std::uint16_t* uid = out.uid.data();
  i32f32* value = out.value.data();
  i32f32* sum = sums.data();
  std::vector<std::uint32_t>& columns = st.sum_columns;
  columns.clear();
  std::vector<std::uint32_t>& rows = st.ema_rows;
  rows.clear();
  const std::vector<std::uint32_t>& fresh_rows = st.weight_rows;  // W~'s rows are among W's
  const std::span<const std::uint32_t> stored_rows = old.nonempty_rows();
  std::set_union(fresh_rows.begin(), fresh_rows.end(), stored_rows.begin(), stored_rows.end(),
                 std::back_inserter(rows));
  auto fresh_at = [&](std::size_t k) { return fresh.value[k]; };
  auto old_at = [&](const u16_entry& e) { return old.value(e.value); };
  out.write_rows(rows, [&](std::size_t i, std::size_t at) {
    ema_row(fresh, i, old, alpha, fresh_at, old_at, [&](std::uint16_t u, i32f32 acc) {
      uid[at] = u;
      value[at++] = acc;
      if (sum[u] == i32f32{}) columns.push_back(u);  // its first: every entry is above 0
      sum[u] = sum[u] + acc;
    });
    return at;
  });
}

// Yuma 2's column sums of the old bonds: integers, so summed as integers; the I32F32 sum of
// non-negative values is the exact one saturated.
std::vector<i32f32> old_col_sums(const epoch_input& in, old_bonds& old, std::size_t n) {
  std::vector<std::uint64_t> total(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const u16_entry& e : in.bonds[i])
      if (old.kept(e.uid)) total[e.uid] += e.value;
  std::vector<i32f32> sums(n);
  for (std::size_t j = 0; j < n; ++j)
    sums[j] = total[j] < (std::uint64_t{1} << 31) ? i32f32::from_raw(static_cast<std::int64_t>(total[j] << 32))
                                                 : i32f32::from_raw(INT64_MAX);
  return sums;
}

// §2.8: bonds bought with stake-scaled weights, EMA, column-normalized; stored max-upscaled.
// D_i = sum_j I_j * B_ij (each product floored), normalized.
void yuma2_bonds(const epoch_input& in, epoch_state& st, epoch_output& out) {
  if (yuma2_bonds_fast(in, st, bonds_ema_rate(in.params.bonds_moving_average), out)) return;
  old_bonds old(in, st);
  const csr& bought = st.bond_weights;  // already scaled by stake (compute_consensus)
  // Both inputs column-normalized as the merge reads them.
  std::vector<i32f32> sums(st.n);
  csr& ema = st.new_bonds;
  ema_rows(bought, old, bonds_ema_rate(in.params.bonds_moving_average), sums,
           dividers(st.bought_sums), dividers(old_col_sums(in, old, st.n)), ema);
  const std::vector<divider> d = dividers(sums);
  fixed_vector& maxima = st.bond_scale;  // col_max_upscale, applied as the rows are stored
  maxima.assign(st.n, i32f32{});
  st.dividends.assign(st.n, i32f32{});
  for (std::size_t i = 0; i < st.n; ++i) {
    i32f32 div;
    for (std::size_t k = ema.begin(i); k < ema.end(i); ++k) {
      const std::uint16_t j = ema.uid[k];
      const i32f32 v = d[j].div_or_keep(ema.value[k]);
      ema.value[k] = v;
      div = div + st.incentive[j] * v;
      maxima[j] = std::max(maxima[j], v);
    }
    st.dividends[i] = div;
  }
  normalize(st.dividends);
}

// One row of liquid_alpha_ema, W~ entries [b, e) merged with the row's old bonds, written from
// `at` on; returns the end. An entry's rate is a function of its clamped difference alone
// (W~, C and the bonds all lie in [0, 1] (W~ is at most W, a row share; C is one of the W;
// bonds are u16 proportions), so liquid_params' clamped difference is plain integer arithmetic
// here). Most differences clamp to 0 or 1, whose rates `clamped` holds: those entries are
// finished in the one pass. The others are written as placeholders and listed in `r`, and
// after the pass their rates come from one batch of exponentials.
//
// W~, the bond and the rate all lie in [0, 1] (the rate is clamped between two u16
// proportions), so the EMA's products are plain floored ones and the column sums stay below
// 2^48: the saturating operators reduce to integer ones. Each entry is written whether kept or
// not, and the end advances past the kept ones and the listed; a listed entry whose EMA turns
// out 0 is dropped afterwards, as the others are. One pass where there were two (the rates
// into arrays, then the EMA reading them back): 3% of a sparse Yuma 3 epoch at n = 4,096, 6-11%
// at n = 256.
constexpr std::uint64_t liquid_one = std::uint64_t{1} << 32;  // 1.0 in I32F32

template <bool all_kept>
std::size_t liquid_row_ema(const csr& w, std::size_t b, std::size_t e, std::span<const u16_entry> row,
                           const old_bonds& old, const std::int64_t* consensus, const std::array<i32f32, 2>& clamped,
                           const liquid_params& p, liquid_row& r, csr& out, std::size_t at, std::int64_t* sums,
                           std::vector<std::uint32_t>& sum_columns) {
  // Each only grown (a regrown vector would clear its tail again), and each on its own: the
  // dense path sizes `todo` alone (epoch_dense_yuma3.cpp).
  for (auto* v : {&r.weight, &r.bond})
    if (v->size() < e - b) v->resize(e - b);
  if (r.todo.size() < e - b) r.todo.resize(e - b);
  if (r.todo_at.size() < e - b) r.todo_at.resize(e - b);
  const std::uint16_t* __restrict uid = w.uid.data();
  const auto* __restrict weight = reinterpret_cast<const std::int64_t*>(w.value.data());
  std::uint16_t* __restrict out_uid = out.uid.data();
  auto* __restrict out_value = reinterpret_cast<std::uint64_t*>(out.value.data());
  auto* __restrict todo = reinterpret_cast<std::int64_t*>(r.todo.data());
  std::uint32_t* __restrict todo_at = r.todo_at.data();
  std::uint64_t* __restrict todo_weight = r.weight.data();
  std::uint64_t* __restrict todo_bond = r.bond.data();
  const auto at_zero = static_cast<std::uint64_t>(clamped[0].raw());
  const auto at_one = static_cast<std::uint64_t>(clamped[1].raw());
  auto ema = [](std::uint64_t a, std::uint64_t x, std::uint64_t bk) {
    const auto bought = static_cast<std::uint64_t>((static_cast<u128>(a) * x) >> 32);
    return std::min(static_cast<std::uint64_t>((static_cast<u128>(liquid_one - a) * bk) >> 32) + bought, liquid_one);
  };
  auto add = [&](std::uint16_t j, std::uint64_t v) {
    const std::int64_t sum = sums[j] + static_cast<std::int64_t>(v);
    sums[j] = sum;
    if (v > 0 && sum == static_cast<std::int64_t>(v)) sum_columns.push_back(j);  // its first: rare
  };
  const u16_entry* o = row.data();
  const u16_entry* const oe = o + row.size();
  const std::size_t first = at;
  std::size_t t = 0;
  for (std::size_t k = b; k < e; ++k) {
    const std::uint16_t j = uid[k];
    while (o != oe && o->uid < j) ++o;  // both rows ascend: a merge, not a search
    const bool held = o != oe && o->uid == j && (all_kept || old.kept(j));
    const std::uint64_t bk = held ? old_bonds::yuma3_bond(o->value) : 0;
    const std::int64_t x = weight[k], c = consensus[j];
    // With all three in [0, 1], x - c and bk - x are at most 1: only the clamp at 0 can bite,
    // and bk - x is positive where it is taken. Selected by masks: the compiler turned the
    // conditional form back into branches.
    const std::int64_t lead = x - c, buy = lead & ~(lead >> 63);  // max(x - c, 0)
    const std::int64_t buying = -static_cast<std::int64_t>(static_cast<std::uint64_t>(x) >= bk);
    const std::int64_t diff = (buy & buying) | ((static_cast<std::int64_t>(bk) - x) & ~buying);
    const bool listed = (diff != 0) & (diff != static_cast<std::int64_t>(liquid_one));
    const std::uint64_t v = listed ? 0 : ema(diff == 0 ? at_zero : at_one, static_cast<std::uint64_t>(x), bk);
    out_uid[at] = j;
    out_value[at] = v;
    todo[t] = diff;
    todo_at[t] = static_cast<std::uint32_t>(at - first);  // within the row: below 65,536
    todo_weight[t] = static_cast<std::uint64_t>(x);
    todo_bond[t] = bk;
    t += listed;
    at += (v > 0) | listed;
    add(j, v);
  }
  if (t == 0) return at;
  p.rates({r.todo.data(), t});
  bool dropped = false;
  for (std::size_t q = 0; q < t; ++q) {
    const std::uint64_t v = ema(static_cast<std::uint64_t>(todo[q]), todo_weight[q], todo_bond[q]);
    out_value[first + todo_at[q]] = v;
    add(out_uid[first + todo_at[q]], v);
    dropped = dropped || v == 0;
  }
  if (!dropped) return at;
  std::size_t kept = first;  // a listed entry whose EMA is 0 is not kept, as the others
  for (std::size_t k = first; k < at; ++k) {
    out_uid[kept] = out_uid[k];
    out_value[kept] = out_value[k];
    kept += out_value[k] > 0;
  }
  return kept;
}

// §2.9 step 2 with liquid alpha: per-entry rate; the row keeps only the columns the validator's
// W~ row has (the chain's sparse behavior: an omitted miner's bond is dropped, not decayed).
void liquid_alpha_ema(const epoch_input& in, epoch_state& st, old_bonds& old, std::vector<i32f32>& sums, csr& out) {
  const liquid_params p(in);
  const csr& w = st.bond_weights;
  out.size_for(st.n, w.uid.size());  // at most one entry per W~ entry
  // The rate is a function of the exponential's argument alone, and a clamped difference (0:
  // a weight at or below consensus, or 1) gives the same argument for every such entry,
  // about half of them: their rate is computed once here.
  std::array<i32f32, 2> clamped = {i32f32{}, i32f32::one()};
  p.rates(clamped);
  const auto* consensus = reinterpret_cast<const std::int64_t*>(st.consensus.data());
  auto* column_sums = reinterpret_cast<std::int64_t*>(sums.data());
  st.sum_columns.clear();
  out.write_rows(st.weight_rows, [&](std::size_t i, std::size_t at) {  // W~'s rows are among W's
    const std::size_t b = w.begin(i), e = w.end(i);
    if (b == e) return at;
    const std::span<const u16_entry> row = old.row(i);
    return old.all_kept() ? liquid_row_ema<true>(w, b, e, row, old, consensus, clamped, p, st.liquid, out, at,
                                                 column_sums, st.sum_columns)
                          : liquid_row_ema<false>(w, b, e, row, old, consensus, clamped, p, st.liquid, out, at,
                                                  column_sums, st.sum_columns);
  });
}

// Yuma 3's dividends when every bond and I is in [0, 1]: each product is a plain floored one,
// and a row's sum stays at most the sum of I, 1. The stored rows of new permit holders (the
// bonds as they are, §2.9 step 6) are written into `out` in the same pass.
// The EMA is liquid_alpha_ema's or listed_ema_rows', whose columns with a sum above 0 are in
// st.sum_columns and whose rows are among `rows`; only those are visited (a column summing to
// 0 holds only zeros, which any divider takes to 0: its divider may be stale).
void yuma3_dividends_fast(epoch_state& st, std::span<const i32f32> sums, std::span<const std::uint32_t> rows,
                          epoch_output& out) {
  // Per column a proportion_divider's words, as the kernel reads them; the workspace's (no
  // fresh pages), resized rather than cleared: a column summing to 0 holds only zeros, and its
  // stale or zero words take them to 0.
  std::vector<std::uint64_t>& words = st.share_words;
  words.resize(3 * st.n);
  for (std::uint32_t j : st.sum_columns) proportion_divider(sums[j].raw()).store(words.data() + 3 * j);
  const csr& ema = st.new_bonds;
  const auto* incentive = reinterpret_cast<const std::uint64_t*>(st.incentive.data());
  const std::uint16_t* uid = ema.uid.data();
  const auto* value = reinterpret_cast<const std::uint64_t*>(ema.value.data());  // in [0, 2^32]
  const auto dividend_row = dense::kernels().liquid_dividend_row;
  out.bonds.resize(st.n);
  for (std::uint32_t i : rows) {  // D is 0 (already) outside them
    const std::size_t b = ema.begin(i), e = ema.end(i);
    u16_entry* stored = nullptr;
    if (st.permit_new[i]) {
      out.bonds[i].resize(e - b);
      stored = out.bonds[i].data();
    }
    const std::uint64_t t = dividend_row(uid + b, value + b, e - b, words.data(), incentive, stored);
    st.dividends[i] = checked_mul_or_zero(i32f32::from_raw(static_cast<std::int64_t>(t)), st.active_stake[i]);
  }
  // New permit holders elsewhere, staked uids or the owner, store an empty row.
  for (std::uint32_t i : st.staked)
    if (st.permit_new[i] && ema.begin(i) == ema.end(i)) out.bonds[i].clear();
  if (st.owner < st.n && st.permit_new[st.owner] && ema.begin(st.owner) == ema.end(st.owner))
    out.bonds[st.owner].clear();
  normalize(st.dividends, rows);
  st.dividends_listed.mark(rows, st.epochs);
  st.bonds_written = true;
}

// §2.9: absolute per-entry bonds bought with weights; dividends scaled by stake afterwards.
void yuma3_bonds(const epoch_input& in, epoch_state& st, epoch_output& out) {
  old_bonds old(in, st);
  // C is 0 outside the columns the medians gathered.
  const bool any_consensus = std::any_of(st.median.gathered.begin(), st.median.gathered.end(),
                                         [&](std::uint32_t j) { return st.consensus[j] != i32f32{}; });
  std::vector<i32f32>& sums = st.column_sums;  // the workspace's: no fresh pages
  st.sums_listed.clear(sums, st.n, st.epochs);
  csr& ema = st.new_bonds;
  st.bond_scale.clear();  // Yuma 3 stores bonds as they are
  const bool liquid = in.params.liquid_alpha && any_consensus;
  const i32f32 alpha = bonds_ema_rate(in.params.bonds_moving_average);
  // Both EMAs visit only the rows that can hold an entry (liquid alpha's those of W~, as it
  // drops the other rows' bonds; the fixed rate's those of W~ or of the stored bonds), and list
  // the columns they write.
  if (liquid)
    liquid_alpha_ema(in, st, old, sums, ema);
  else
    listed_ema_rows(st, old, alpha, sums, ema);
  st.sums_listed.mark(st.sum_columns, st.epochs);  // the others sum to 0
  st.dividends_listed.clear(st.dividends, st.n, st.epochs);
  if (st.proportions && (liquid || (alpha >= i32f32{} && alpha <= i32f32::one()))) {
    // Every bond is then in [0, 1] (liquid alpha caps them at 1; a rate in [0, 1] mixes values
    // in [0, 1]), and so are their column shares and I.
    yuma3_dividends_fast(st, sums, liquid ? st.weight_rows : st.ema_rows, out);
    return;
  }
  const std::vector<divider> d = dividers(sums);  // the column shares, never stored
  for (std::size_t i = 0; i < st.n; ++i) {
    i32f32 t;
    for (std::size_t k = ema.begin(i); k < ema.end(i); ++k)
      t = t + d[ema.uid[k]].div_or_keep(ema.value[k]) * st.incentive[ema.uid[k]];
    st.dividends[i] = checked_mul_or_zero(t, st.active_stake[i]);
  }
  normalize(st.dividends);
}

}  // namespace

old_bonds::old_bonds(const epoch_input& in, const epoch_state& st)
    : in_(in), ascending_(st.bonds_ascending), kept_(st.bond_kept), all_kept_(st.all_bonds_kept),
      yuma3_(in.params.yuma3), nonempty_(st.bond_rows) {
  const u16_row* rows = in.bonds.data();
  std::size_t entries = 0;
  for (std::uint32_t i : nonempty_) entries += rows[i].size();
  entries_ = entries;
}

std::span<const u16_entry> old_bonds::sorted_row(std::size_t i) {
  const u16_row& r = in_.bonds[i];
  auto by_uid = [](const u16_entry& a, const u16_entry& b) { return a.uid < b.uid; };
  scratch_.assign(r.begin(), r.end());
  std::sort(scratch_.begin(), scratch_.end(), by_uid);
  return scratch_;
}

void compute_bonds(const epoch_input& in, epoch_state& st, epoch_output& out) {
  st.bonds_written = false;
  if (in.params.yuma3)
    yuma3_bonds(in, st, out);
  else
    yuma2_bonds(in, st, out);
}

}  // namespace synod::consensus::detail
