// Yuma 3's bonds and dividends on the dense path (subtensor-economics.md §2.9-2.10; the
// compressed-row steps' are yuma3_bonds in epoch_bonds.cpp), over the matrix epoch_dense.cpp
// filled with W: 8 rows at a time, each entry's bond from W~ (computed on the fly), its old
// bond and its rate, overwriting W; then the column shares, dividends and stored rows.
//
// With liquid alpha an entry's rate is a function of its clamped difference alone: for a
// difference of 0 (a validator buying at or below consensus: the usual case) or of 1.0 it is
// the same for every entry and computed once; any other needs an exponential, which the
// kernel leaves to settle_listed. Every value lies in [0, 2^32], so the fixed-point products
// are plain floored integer ones, as in yuma3_bonds' fast paths.
#include <algorithm>
#include <array>

#include "epoch_dense.hpp"

namespace synod::consensus::detail::dense {
namespace {

// The entry's clamped difference (liquid_params): buying (W~ at or above the bond)
// reacts to the lead over consensus, selling to the drop. All three lie in [0, 1].
u64 difference(u64 y, u64 bond, u64 c) { return y >= bond ? (y > c ? y - c : 0) : bond - y; }

// Zeroes, in row i's old bonds, those of the entries W lacks whatever their weight: liquid
// alpha drops a bond W~ does not hold, and the matrix holds 0 for a missing weight and a zero
// one alike. They are the row's own uid (unless it owns the subnet), the uids §2.4's
// registration mask drops, and the uids a short row does not name.
void drop_unweighted(const epoch_input& in, const epoch_state& st, std::size_t i, dense_scratch& d, u32* old_row) {
  const std::size_t n = st.n;
  if (!(in.owner_uid && *in.owner_uid == i)) old_row[i] = 0;
  if (const std::uint64_t limit = registration_limit(in, i); st.latest_registration >= limit)
    for (std::size_t j = 0; j < n; ++j)
      if (in.registered_at[j] >= limit) old_row[j] = 0;
  const u16_row& w = in.weights[i];
  if (w.size() == n) return;  // it names every uid (normalize_rows checked)
  d.named.assign(n, 0);
  for (const u16_entry& e : w)
    if (e.uid < n) d.named[e.uid] = 1;
  for (std::size_t j = 0; j < n; ++j)
    if (!d.named[j]) old_row[j] = 0;
}

// The entries liquid_rows listed in one row: their rates through one batch of exponentials,
// then their bonds in place of the W~ they hold, and into their columns' sums. False when a
// bond reached 1.0.
bool settle_listed(const u32* old_row, u32* row, std::span<const u32> listed, const liquid_params& p,
                   dense_scratch& d, fixed_vector& rate) {
  rate.resize(listed.size());
  for (std::size_t q = 0; q < listed.size(); ++q) {
    const u32 j = listed[q];
    rate[q] = i32f32::from_raw(static_cast<std::int64_t>(difference(row[j], old_bonds::yuma3_bond(old_row[j]), d.consensus[j])));
  }
  p.rates(rate);
  u64 whole = 0;
  for (std::size_t q = 0; q < listed.size(); ++q) {
    const u32 j = listed[q];
    const auto a = static_cast<u64>(rate[q].raw());
    const u64 bond = old_bonds::yuma3_bond(old_row[j]), y = row[j];
    const u64 v = static_cast<u64>((static_cast<u128>(one - a) * bond) >> 32) +
                  static_cast<u64>((static_cast<u128>(a) * y) >> 32);
    whole |= v >> 32;  // min(v, 1.0) of 1.0 or more: it does not fit either way
    row[j] = static_cast<u32>(v);
    d.ema_sums[j] += v;
  }
  return whole == 0;
}

// liquid_share_rows for one row when a column's bonds sum past 4.0 (past a share_divider's
// reach): each column divided by its proportion_divider (three words a column, its store()), as
// yuma3_dividends_fast divides.
u64 wide_share_row(const u32* row, std::size_t n, const u64* incentive, const u64* by, u32* stored,
                   std::size_t& count) {
  u64 d = 0;
  std::size_t at = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const u64 share = proportion_divider::quotient(row[j], by[3 * j], by[3 * j + 1], by[3 * j + 2]);  // at most 2^32
    d += static_cast<u64>((static_cast<u128>(share) * incentive[j]) >> 32);
    if (stored == nullptr || row[j] == 0) continue;
    const std::uint16_t stored_bond = i32f32::from_raw(row[j]).to_u16_proportion();
    stored[at++] = static_cast<u32>(j) | static_cast<u32>(stored_bond) << 16;
  }
  count = at;
  return d;
}

}  // namespace

bool liquid_bonds(const epoch_input& in, epoch_state& st, const old_bonds& old, dense_scratch& d) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n, rows = d.rows.size();
  const bool any_consensus =
      std::any_of(st.consensus.begin(), st.consensus.end(), [](i32f32 c) { return c != i32f32{}; });
  const bool liquid = in.params.liquid_alpha && any_consensus;  // as yuma3_bonds decides
  const liquid_params p(in);
  std::array<i32f32, 2> clamped = {i32f32{}, i32f32::one()};  // the rates of differences 0 and 1.0
  p.rates(clamped);
  const auto alpha = static_cast<u64>(bonds_ema_rate(in.params.bonds_moving_average).raw());  // in [0, 1]
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  d.consensus.resize(n);
  for (std::size_t j = 0; j < n; ++j) d.consensus[j] = static_cast<u32>(st.consensus[j].raw());  // scores < 2^32
  st.trust.assign(n, i32f32{});
  d.ema_sums.assign(n, 0);
  const liquid_context at{d.consensus.data(),
                          static_cast<u64>(penalty.raw()),
                          liquid ? static_cast<u64>(clamped[0].raw()) : alpha,
                          liquid ? static_cast<u64>(clamped[1].raw()) : alpha,
                          liquid,
                          d.ema_sums.data()};
  // As dense_ema: each group member's old bonds by uid, and a row of zeros (with a writable
  // twin) for the members a short last group lacks.
  d.old_rows.resize((dense_group + 2) * n);
  u32* const zero_row = d.old_rows.data() + dense_group * n;
  std::fill(zero_row, zero_row + 2 * n, 0);
  const std::size_t list_room = n + 8;  // a kernel's last 8-entry store may pass n
  d.listed.resize(dense_group * list_room);
  u64 whole = 0;
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    u32* w[dense_group];
    const u32* old_of[dense_group];
    u32* listed[dense_group];
    for (std::size_t g = 0; g < dense_group; ++g) {
      const bool member = r0 + g < rows;
      u32* old_row = d.old_rows.data() + g * n;
      w[g] = member ? d.matrix.data() + (r0 + g) * n : zero_row + n;
      old_of[g] = member ? old_row : zero_row;
      listed[g] = d.listed.data() + g * list_room;
      if (!member) continue;
      spread_bonds(in, old, d.rows[r0 + g], old_row);
      if (liquid) drop_unweighted(in, st, d.rows[r0 + g], d, old_row);
    }
    u64 trust[dense_group];
    std::size_t count[dense_group];
    whole |= penalty == i32f32::one() ? k.liquid_rows_clipped(w, old_of, n, at, trust, listed, count)
                                      : k.liquid_rows_penalty(w, old_of, n, at, trust, listed, count);
    for (std::size_t g = 0; g < dense_group && r0 + g < rows; ++g) {
      st.trust[d.rows[r0 + g]] = i32f32::from_raw(static_cast<std::int64_t>(trust[g]));
      if (count[g] > 0 && !settle_listed(old_of[g], w[g], {listed[g], count[g]}, p, d, st.liquid.todo)) return false;
    }
  }
  return whole == 0;
}

void liquid_dividends(epoch_state& st, dense_scratch& d, epoch_output& out) {
  const kernel_set& k = kernels();
  const std::size_t n = st.n;
  const bool wide = std::any_of(d.ema_sums.begin(), d.ema_sums.end(), [](u64 s) { return !share_divider::fits(s); });
  if (wide) {
    st.share_words.resize(3 * n);
    for (std::size_t j = 0; j < n; ++j)
      proportion_divider(static_cast<std::int64_t>(d.ema_sums[j])).store(st.share_words.data() + 3 * j);
  } else {
    for (auto* v : {&d.div_hi, &d.div_lo}) v->resize(n);
    for (std::size_t j = 0; j < n; ++j) set_divisor(d.div_hi.data(), d.div_lo.data(), j, d.ema_sums[j]);
  }
  const auto* incentive = reinterpret_cast<const u64*>(st.incentive.data());  // each in [0, 2^32]
  auto kernel = [&](const share_group& g, u64* dividend, std::size_t* count) {
    if (!wide) {
      k.liquid_share_rows(g.w, n, incentive, d.div_hi.data(), d.div_lo.data(), g.stored, dividend, count);
      return;
    }
    for (std::size_t r = 0; r < dense_group; ++r)
      dividend[r] = wide_share_row(g.w[r], n, incentive, st.share_words.data(), g.stored[r], count[r]);
  };
  // Yuma 3 scales a row's dividend by its stake afterwards (§2.9).
  share_groups(st, d, out, kernel, [&](u32 i, u64 sum) {
    return checked_mul_or_zero(i32f32::from_raw(static_cast<std::int64_t>(sum)), st.active_stake[i]);
  });
}

}  // namespace synod::consensus::detail::dense
