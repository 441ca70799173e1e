// Yuma 2's bonds and dividends (subtensor-economics.md §2.8) in plain 64-bit integers, for the
// epochs where every value is a proportion: stakes in [0, 1] (compute_consensus checked), an EMA
// rate in [0, 1] (bonds_moving_average at most a million) and old bonds whose column sums fit
// I32F32 (below 2^31). Then W~ * A and its column shares, the old bonds' shares, the EMA, its
// shares, I and D all lie in [0, 2^32]: no product or sum saturates, products of non-negatives
// floor as >> 32 does, and every division is a share_divider's (exact). yuma2_bonds in
// epoch_bonds.cpp is the same computation with the saturating operators, for the rest.
#include <algorithm>
#include <span>
#include <type_traits>

#include "epoch_dense_kernels.hpp"
#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace {

// The I32F32 product of two values in [0, 2^32].
std::uint64_t mul(std::uint64_t a, std::uint64_t b) noexcept {
  return static_cast<std::uint64_t>((static_cast<u128>(a) * b) >> 32);
}

// Integer column sums of the kept old bonds into st.old_bond_sums, and the columns whose sum is
// not 0 into st.old_bond_columns; false when one reaches 2^31 (its I32F32 sum would saturate,
// and the generic path applies). Only the stored rows with entries are read, and the sums are 0
// outside the listed columns between epochs too: the last epoch's are cleared, not all n.
bool old_sums(const epoch_input& in, old_bonds& old, epoch_state& st) {
  const std::size_t n = in.bonds.size();
  std::vector<std::uint64_t>& total = st.old_bond_sums;
  std::vector<std::uint32_t>& columns = st.old_bond_columns;
  for (std::uint32_t j : columns)
    if (j < total.size()) total[j] = 0;
  total.resize(n);
  columns.clear();
  std::uint64_t* sum = total.data();
  // Sums only grow, so each column's last addition tests its total against the bound.
  std::uint64_t reached = 0;
  const bool all_kept = old.all_kept();
  for (std::uint32_t i : old.nonempty_rows())
    for (const u16_entry& e : in.bonds[i]) {
      // Skipped entries (uids past n, or registered lately) add 0 to column 0: no branch.
      const bool kept = e.uid < n && (all_kept || old.kept(e.uid));
      const std::uint64_t v = kept ? e.value : 0;
      std::uint64_t& t = sum[kept ? e.uid : 0];
      t += v;
      reached |= t;
      if (t == v && v != 0) columns.push_back(e.uid);  // its first value: few columns hold bonds
    }
  return reached < (std::uint64_t{1} << 31);
}

// Per column with a side above 0, the divisors of W~ * A (its column sum) and of the old bonds,
// into st.merge_columns, and the column into st.bond_columns; false when a sum of W~ * A does
// not fit a share_divider. Columns summing to 0 on both sides hold only zeros, and every
// divider takes 0 to 0: they keep what an earlier epoch left (32 bytes each). The EMA writes
// no other column (an entry above 0 has a side above 0).
bool merge_divisors_of(epoch_state& st) {
  st.merge_columns.resize(st.n);  // kept in the workspace: fresh pages every epoch otherwise
  st.bond_columns.clear();
  const std::uint64_t* total = st.old_bond_sums.data();
  auto add = [&](std::uint32_t j) {
    // W~ * A sums to at most the stakes' sum, 1; the old bonds are integers v below 2^31, and
    // (v << 32) / (total << 32) is v * 2^32 / total.
    const auto bought = static_cast<std::uint64_t>(st.bought_sums[j].raw());
    if (!share_divider::fits(bought)) return false;
    if ((bought | total[j]) == 0) return true;
    st.merge_columns[j] = {share_divider(bought), share_divider(total[j])};
    st.bond_columns.push_back(j);
    return true;
  };
  if (!st.bought_in_gathered) {
    for (std::size_t j = 0; j < st.n; ++j)
      if (!add(static_cast<std::uint32_t>(j))) return false;
    return true;
  }
  // W~ * A is then 0 outside the columns the medians gathered: those with a sum above 0 are
  // added from that list, the others from the old bonds' (each column once).
  for (std::uint32_t j : st.median.gathered)
    if (st.bought_sums[j] != i32f32{} && !add(j)) return false;
  for (std::uint32_t j : st.old_bond_columns)
    if (st.bought_sums[j] == i32f32{}) add(j);
  return true;
}

// mul(rate, q) for a share q <= 2^32. With 0 < rate < 2^32 (every EMA rate but 0 and 1) the
// product stays below 2^64: one 64-bit multiplication instead of a 128-bit one.
template <bool narrow>
std::uint64_t mul_rate(std::uint64_t rate, std::uint64_t q) noexcept {
  if constexpr (narrow) return (rate * q) >> 32;
  return mul(rate, q);
}


// One merged entry: alpha * (fresh share) + (1 - alpha) * (old share), each product floored
// before the sum as the chain's sparse EMA does (a missing side adds 0), written at `at` and
// kept by advancing (no branch to mispredict) when > 0, with its column's sum and maximum.
// Taken by value and handed back: a local copy stays in registers, where a reference's `at`
// was stored and reloaded around every column-sum update (both are 64-bit integers).
struct merge_out {
  std::uint16_t* __restrict uid;
  i32f32* __restrict value;
  ema_column* __restrict columns;
  std::size_t at;
  void put(std::uint32_t u, std::uint64_t acc) noexcept {
    uid[at] = static_cast<std::uint16_t>(u);
    value[at] = i32f32::from_raw(static_cast<std::int64_t>(acc));
    at += acc > 0;
    columns[u].sum += acc;
    columns[u].max = std::max(columns[u].max, acc);
  }
};

// Row-wise alpha * (fresh share) + (1 - alpha) * (old share) over the union of columns.
// by_column: per column, the divisors of W~ * A (its column sum) and of the old bonds. With
// `all_kept` every entry of `row` is a kept one (no test per entry): dense rows, where both
// sides name the same uids, take the first branch every time. `narrow`: 0 < alpha < 2^32.
template <bool all_kept, bool narrow>
merge_out merge_row(const csr& fresh, std::size_t i, std::span<const u16_entry> row, const old_bonds& old,
                    std::uint64_t alpha, const merge_divisors* by_column, merge_out out) {
  const std::uint64_t keep = (std::uint64_t{1} << 32) - alpha;
  const std::uint16_t* fresh_uid = fresh.uid.data();
  const i32f32* fresh_value = fresh.value.data();
  auto fresh_part = [&](std::size_t f) {
    return mul_rate<narrow>(alpha, by_column[fresh_uid[f]].fresh.div(static_cast<std::uint64_t>(fresh_value[f].raw())));
  };
  auto old_part = [&](const u16_entry& e) { return mul_rate<narrow>(keep, by_column[e.uid].old.div(e.value)); };
  std::size_t f = fresh.begin(i);
  const std::size_t fe = fresh.end(i);
  const u16_entry* o = row.data();
  const u16_entry* const oe = o + row.size();
  auto skip_dropped = [&] {
    if constexpr (!all_kept)
      while (o != oe && !old.kept(o->uid)) ++o;
  };
  skip_dropped();
  while (f != fe && o != oe) {
    const std::uint32_t uf = fresh_uid[f], uo = o->uid;
    if (uf == uo) {
      out.put(uf, fresh_part(f++) + old_part(*o++));
    } else if (uf < uo) {
      out.put(uf, fresh_part(f++));
      continue;
    } else {
      out.put(uo, old_part(*o++));
    }
    skip_dropped();
  }
  for (; f != fe; ++f) out.put(fresh_uid[f], fresh_part(f));
  for (; o != oe; ++o)
    if (all_kept || old.kept(o->uid)) out.put(o->uid, old_part(*o));
  return out;
}

// Whether W~'s entries from `uid` on name the uids of `row`, in order.
bool same_uids(const std::uint16_t* uid, std::span<const u16_entry> row) {
  std::uint32_t differ = 0;
  for (std::size_t k = 0; k < row.size(); ++k) differ |= static_cast<std::uint32_t>(uid[k] ^ row[k].uid);
  return differ == 0;
}

// merge_row for a row whose kept old bonds name the uids its W~ entries do (the usual row of a
// subnet whose validators keep weighting their miners): a walk over both at once.
template <bool narrow>
merge_out zip_row(const csr& fresh, std::size_t b, std::span<const u16_entry> row, std::uint64_t alpha,
                  const merge_divisors* by_column, merge_out out) {
  const std::uint64_t keep = (std::uint64_t{1} << 32) - alpha;
  const std::uint16_t* uid = fresh.uid.data() + b;
  const i32f32* value = fresh.value.data() + b;
  for (std::size_t k = 0; k < row.size(); ++k) {
    const merge_divisors& d = by_column[uid[k]];
    out.put(uid[k], mul_rate<narrow>(alpha, d.fresh.div(static_cast<std::uint64_t>(value[k].raw()))) +
                        mul_rate<narrow>(keep, d.old.div(row[k].value)));
  }
  return out;
}

template <bool narrow>
merge_out merge_row(const csr& fresh, std::size_t i, std::span<const u16_entry> row, const old_bonds& old,
                    std::uint64_t alpha, const merge_divisors* by_column, merge_out out, std::size_t n) {
  // Ascending, so all kept when the last uid is below n and no uid registered lately.
  if (!old.all_kept() || (!row.empty() && row.back().uid >= n))
    return merge_row<false, narrow>(fresh, i, row, old, alpha, by_column, out);
  const std::size_t b = fresh.begin(i);
  if (fresh.end(i) - b == row.size() && same_uids(fresh.uid.data() + b, row))
    return zip_row<narrow>(fresh, b, row, alpha, by_column, out);
  return merge_row<true, narrow>(fresh, i, row, old, alpha, by_column, out);
}

// The EMA of every row into st.new_bonds, with its column sums and maxima.
template <bool narrow>
void ema_rows(epoch_state& st, old_bonds& old, std::uint64_t alpha) {
  const csr& bought = st.bond_weights;  // already scaled by stake (compute_consensus)
  csr& ema = st.new_bonds;
  // Only the merged rows' starts are set (their begin and end): the rows read are those of
  // st.ema_rows, and filling the rest was 8 bytes per uid.
  ema.size_for(st.n, bought.uid.size() + old.entries());
  merge_out to{ema.uid.data(), ema.value.data(), st.ema_columns.data(), 0};
  const merge_divisors* by_column = st.merge_columns.data();
  // Rows with neither W~ entries nor stored bonds are empty: most rows of a sparse subnet. The
  // merged rows are those of the two lists (W~'s rows are among W's).
  const std::vector<std::uint32_t>& fresh_rows = st.weight_rows;
  const std::span<const std::uint32_t> stored_rows = old.nonempty_rows();
  constexpr std::uint32_t none = ~std::uint32_t{0};
  st.ema_rows.clear();
  std::size_t f = 0, o = 0;
  while (f < fresh_rows.size() || o < stored_rows.size()) {
    const std::uint32_t i = std::min(f < fresh_rows.size() ? fresh_rows[f] : none,
                                     o < stored_rows.size() ? stored_rows[o] : none);
    f += f < fresh_rows.size() && fresh_rows[f] == i;
    o += o < stored_rows.size() && stored_rows[o] == i;
    ema.start[i] = to.at;
    to = merge_row<narrow>(bought, i, old.row(i), old, alpha, by_column, to, st.n);
    ema.start[i + 1] = to.at;
    st.ema_rows.push_back(i);
  }
}

// B' = the EMA column-normalized; D_i = sum_j I_j * B'_ij; the stored rows of new permit
// holders, B' divided by its column maximum (col_max_upscale), which is the share of the
// largest EMA entry: the division floors monotonically. Every sum and maximum here is at most
// 2^32 (the EMA mixes two sets of shares at rates adding to 1), as share_divider requires.
void share_rows(epoch_state& st, std::size_t owner, epoch_output& out) {
  std::vector<merge_divisors>& by_column = st.merge_columns;  // .fresh: by the sum, .old: by the maximum
  ema_column* columns = st.ema_columns.data();
  for (std::uint32_t j : st.bond_columns) {  // the others hold no entry
    const ema_column c = columns[j];
    if (c.sum == 0) continue;  // no entry (max <= sum is 0 too): nothing reads it (see yuma2_bonds_fast)
    const share_divider by_sum(c.sum);
    by_column[j] = {by_sum, share_divider(by_sum.div(c.max))};
    columns[j] = {};  // for the next epoch: only the columns written need clearing
  }
  st.ema_columns_clear = true;
  const csr& ema = st.new_bonds;
  const auto* incentive = reinterpret_cast<const std::uint64_t*>(st.incentive.data());
  const std::uint16_t* uid = ema.uid.data();
  const i32f32* value = ema.value.data();
  // The kernel reads each column's two dividers as four words: share_divider is its two.
  static_assert(sizeof(merge_divisors) == 4 * sizeof(std::uint64_t) && std::is_standard_layout_v<share_divider>);
  const auto* words = reinterpret_cast<const std::uint64_t*>(by_column.data());
  const auto share_row = dense::kernels().share_row;
  for (std::uint32_t i : st.ema_rows) {  // the other rows are empty: D is 0
    const std::size_t b = ema.begin(i), e = ema.end(i);
    u16_entry* stored = nullptr;
    if (st.permit_new[i]) {
      out.bonds[i].resize(e - b);
      stored = out.bonds[i].data();
    }
    const std::uint64_t div = share_row(uid + b, reinterpret_cast<const std::uint64_t*>(value + b), e - b, words,
                                        incentive, stored);
    st.dividends[i] = i32f32::from_raw(static_cast<std::int64_t>(div));
  }
  // New permit holders outside the merged rows store an empty row (the merged ones were
  // written above). They hold stake (top-k of the non-zero stakes) or own the subnet.
  const std::vector<std::uint32_t>& merged = st.ema_rows;
  std::size_t r = 0;
  for (std::uint32_t i : st.staked) {  // both ascending
    while (r < merged.size() && merged[r] < i) ++r;
    if (st.permit_new[i] && !(r < merged.size() && merged[r] == i)) out.bonds[i].clear();
  }
  if (owner < st.n && st.permit_new[owner] && !std::binary_search(merged.begin(), merged.end(), owner))
    out.bonds[owner].clear();
  normalize(st.dividends, st.ema_rows);  // D is 0 outside them
  st.dividends_listed.mark(st.ema_rows, st.epochs);
}

}  // namespace

bool yuma2_bonds_fast(const epoch_input& in, epoch_state& st, i32f32 alpha, epoch_output& out) {
  if (!st.proportions || alpha < i32f32{} || alpha > i32f32::one()) return false;
  old_bonds old(in, st);
  if (!old_sums(in, old, st) || !merge_divisors_of(st)) return false;
  // Most columns of a sparse subnet were never written: clearing them all each epoch was a
  // pass over 16 bytes per uid. Cleared in full only when share_rows did not finish last time.
  if (st.ema_columns_clear)
    st.ema_columns.resize(st.n);  // growth is zeroed; what is kept was reset by share_rows
  else
    st.ema_columns.assign(st.n, ema_column{});
  st.ema_columns_clear = false;
  st.dividends_listed.clear(st.dividends, st.n, st.epochs);  // share_rows adds to D
  const auto rate = static_cast<std::uint64_t>(alpha.raw());
  if (rate > 0 && rate < (std::uint64_t{1} << 32))
    ema_rows<true>(st, old, rate);
  else
    ema_rows<false>(st, old, rate);
  out.bonds.resize(st.n);
  share_rows(st, st.owner, out);
  st.bonds_written = true;
  return true;
}

}  // namespace synod::consensus::detail
