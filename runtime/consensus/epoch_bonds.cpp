// Bonds and dividends (subtensor-economics.md §2.7-2.9; subtensor `run_epoch.rs`
// `compute_bonds`, `compute_dividends`, `compute_ema_bonds*`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace {

// Rows arrive sorted by uid from storage, so checking first saves a sort per row.
void sort_by_uid(fixed_row& row) {
  auto by_uid = [](const fixed_entry& a, const fixed_entry& b) { return a.uid < b.uid; };
  if (!std::is_sorted(row.begin(), row.end(), by_uid)) std::sort(row.begin(), row.end(), by_uid);
}

// max(min(x, hi), lo): defined (lo wins) even when a caller passes lo > hi.
i32f32 clamp(i32f32 x, i32f32 lo, i32f32 hi) noexcept { return std::max(std::min(x, hi), lo); }

// 1 - bma / 1e6, the quotient taken in I64F64 and narrowed before the subtraction, as the
// chain does: bma 900000 gives raw 429496730 rather than 0.1 rounded.
i32f32 bonds_ema_rate(std::uint64_t bma) {
  const auto ratio =
      i64f64::from_raw(static_cast<i128>((static_cast<u128>(bma) << 64) / 1'000'000));
  return i32f32::one() - ratio.to_i32f32();
}

// D_i = sum_j I_j * B_ij (each product floored), normalized.
fixed_vector yuma2_dividends(const fixed_matrix& bonds, const fixed_vector& incentive) {
  fixed_vector d(bonds.size());
  for (std::size_t i = 0; i < bonds.size(); ++i)
    for (const fixed_entry& e : bonds[i]) d[i] = d[i] + incentive[e.uid] * e.value;
  normalize(d);
  return d;
}

// §2.8: bonds bought with stake-scaled weights, EMA, column-normalized; stored max-upscaled.
void yuma2_bonds(const epoch_input& in, epoch_state& st) {
  fixed_matrix old = load_bonds(in, st);
  col_normalize(old, st.n);
  fixed_matrix bought = std::move(st.bond_weights);  // W~ is not read after this
  for (std::size_t i = 0; i < st.n; ++i)
    for (fixed_entry& e : bought[i]) e.value = e.value * st.active_stake[i];
  col_normalize(bought, st.n);
  fixed_matrix ema = ema_rows(bought, old, bonds_ema_rate(in.params.bonds_moving_average));
  col_normalize(ema, st.n);
  st.dividends = yuma2_dividends(ema, st.incentive);
  col_max_upscale(ema, st.n);
  st.new_bonds = std::move(ema);
}

// §2.9 step 2 with liquid alpha: per-entry rate; the row keeps only the columns the validator's
// W~ row has (the chain's sparse behavior: an omitted miner's bond is dropped, not decayed).
fixed_matrix liquid_alpha_ema(const epoch_input& in, const epoch_state& st,
                              const fixed_matrix& old) {
  const i32f32 low = i32f32::from_u16_proportion(in.params.alpha_low);
  const i32f32 high = i32f32::from_u16_proportion(in.params.alpha_high);
  const i32f32 steep = i32f32::from_int(in.params.alpha_sigmoid_steepness);
  fixed_matrix out(st.n);
  for (std::size_t i = 0; i < st.n; ++i)
    for (const fixed_entry& e : st.bond_weights[i]) {
      const i32f32 b = value_at(old[i], e.uid);
      const i32f32 a = liquid_alpha_rate(st.consensus[e.uid], e.value, b, low, high, steep);
      const i32f32 bought = std::max(a * e.value, i32f32{});
      const i32f32 v = std::min((i32f32::one() - a) * b + bought, i32f32::one());
      if (v > i32f32{}) out[i].push_back({e.uid, v});
    }
  return out;
}

// §2.9: absolute per-entry bonds bought with weights; dividends scaled by stake afterwards.
void yuma3_bonds(const epoch_input& in, epoch_state& st) {
  const fixed_matrix old = load_bonds(in, st);
  const bool any_consensus =
      std::any_of(st.consensus.begin(), st.consensus.end(), [](i32f32 c) { return c != i32f32{}; });
  fixed_matrix ema =
      in.params.liquid_alpha && any_consensus
          ? liquid_alpha_ema(in, st, old)
          : ema_rows(st.bond_weights, old, bonds_ema_rate(in.params.bonds_moving_average));
  fixed_matrix shares = ema;
  col_normalize(shares, st.n);
  st.dividends.assign(st.n, i32f32{});
  for (std::size_t i = 0; i < st.n; ++i) {
    i32f32 t;
    for (const fixed_entry& e : shares[i]) t = t + e.value * st.incentive[e.uid];
    st.dividends[i] = checked_mul_or_zero(t, st.active_stake[i]);
  }
  normalize(st.dividends);
  st.new_bonds = std::move(ema);
}

}  // namespace

fixed_matrix load_bonds(const epoch_input& in, const epoch_state& st) {
  // last_tempo: bonds to a uid registered since the previous epoch are dropped.
  const std::uint64_t last_tempo =
      in.last_mechanism_step_block == 0
          ? (in.block > in.params.tempo ? in.block - in.params.tempo : 0)
          : in.last_mechanism_step_block + 1;
  fixed_matrix out(st.n);
  for (std::size_t i = 0; i < st.n; ++i) {
    for (const u16_entry& e : in.bonds[i]) {
      if (e.uid >= st.n || last_tempo <= in.registered_at[e.uid]) continue;
      // Yuma 3 stores absolute proportions; Yuma 2 stores column-upscaled integers.
      i32f32 v = in.params.yuma3 ? i32f32::from_u16_proportion(e.value) : i32f32::from_int(e.value);
      out[i].push_back({e.uid, v});
    }
    sort_by_uid(out[i]);
  }
  return out;
}

void compute_bonds(const epoch_input& in, epoch_state& st) {
  if (in.params.yuma3)
    yuma3_bonds(in, st);
  else
    yuma2_bonds(in, st);
}

i32f32 liquid_alpha_rate(i32f32 consensus, i32f32 weight, i32f32 bond, i32f32 low, i32f32 high,
                         i32f32 steepness) noexcept {
  const i32f32 zero, one = i32f32::one();
  // Buying (weight at or above the bond) reacts to the lead over consensus; selling to the drop.
  const i32f32 diff =
      weight >= bond ? clamp(weight - consensus, zero, one) : clamp(bond - weight, zero, one);
  const i32f32 half = i32f32::from_raw(std::int64_t{1} << 31);
  const i32f32 slope = safe_div(steepness, i32f32::from_int(-100));
  const i32f32 sigmoid = safe_div(one, one + exp_safe(slope * (diff - half)));
  return clamp(low + sigmoid * (high - low), low, high);
}

}  // namespace synod::consensus::detail
