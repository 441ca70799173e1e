// Bonds and dividends (subtensor-economics.md §2.7-2.9; subtensor `run_epoch.rs`
// `compute_bonds`, `compute_dividends`, `compute_ema_bonds*`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace {

// max(min(x, hi), lo): defined (lo wins) even when a caller passes lo > hi.
i32f32 clamp(i32f32 x, i32f32 lo, i32f32 hi) noexcept { return std::max(std::min(x, hi), lo); }

// 1 - bma / 1e6, the quotient taken in I64F64 and narrowed before the subtraction, as the
// chain does: bma 900000 gives raw 429496730 rather than 0.1 rounded.
i32f32 bonds_ema_rate(std::uint64_t bma) {
  const auto ratio =
      i64f64::from_raw(static_cast<i128>((static_cast<u128>(bma) << 64) / 1'000'000));
  return i32f32::one() - ratio.to_i32f32();
}

// §2.8: bonds bought with stake-scaled weights, EMA, column-normalized; stored max-upscaled.
// D_i = sum_j I_j * B_ij (each product floored), normalized.
void yuma2_bonds(const epoch_input& in, epoch_state& st) {
  const csr old = load_bonds(in, st);
  csr bought = std::move(st.bond_weights);  // W~ is not read after this
  std::vector<i32f32> bought_sums(st.n);
  for (std::size_t i = 0; i < st.n; ++i)
    for (std::size_t k = bought.begin(i); k < bought.end(i); ++k) {
      bought.value[k] = bought.value[k] * st.active_stake[i];
      bought_sums[bought.uid[k]] = bought_sums[bought.uid[k]] + bought.value[k];
    }
  // Both inputs column-normalized as the merge reads them.
  std::vector<i32f32> sums(st.n);
  csr ema = ema_rows(bought, old, bonds_ema_rate(in.params.bonds_moving_average), sums,
                     dividers(bought_sums), dividers(col_sums(old, st.n)));
  const std::vector<divider> d = dividers(sums);
  fixed_vector maxima(st.n);
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
  st.new_bonds = std::move(ema);
  st.bond_scale = std::move(maxima);  // col_max_upscale, applied as the rows are stored
}

// §2.9 step 2 with liquid alpha: per-entry rate; the row keeps only the columns the validator's
// W~ row has (the chain's sparse behavior: an omitted miner's bond is dropped, not decayed).
csr liquid_alpha_ema(const epoch_input& in, const epoch_state& st, const csr& old,
                     std::vector<i32f32>& sums) {
  const i32f32 low = i32f32::from_u16_proportion(in.params.alpha_low);
  const i32f32 high = i32f32::from_u16_proportion(in.params.alpha_high);
  const i32f32 slope = safe_div(i32f32::from_int(in.params.alpha_sigmoid_steepness), i32f32::from_int(-100));
  const csr& w = st.bond_weights;
  csr out;
  out.reserve(st.n, w.uid.size());
  for (std::size_t i = 0; i < st.n; ++i) {
    std::size_t o = old.begin(i);
    const std::size_t oe = old.end(i);
    for (std::size_t k = w.begin(i); k < w.end(i); ++k) {
      const std::uint16_t j = w.uid[k];
      while (o < oe && old.uid[o] < j) ++o;  // both rows ascend: a merge, not a search
      const i32f32 b = o < oe && old.uid[o] == j ? old.value[o] : i32f32{};
      const i32f32 x = w.value[k];
      const i32f32 a = liquid_alpha_rate(st.consensus[j], x, b, low, high, slope);
      const i32f32 bought = std::max(a * x, i32f32{});
      const i32f32 v = std::min((i32f32::one() - a) * b + bought, i32f32::one());
      if (v > i32f32{}) {
        out.push(j, v);
        sums[j] = sums[j] + v;
      }
    }
    out.start.push_back(out.uid.size());
  }
  return out;
}

// §2.9: absolute per-entry bonds bought with weights; dividends scaled by stake afterwards.
void yuma3_bonds(const epoch_input& in, epoch_state& st) {
  const csr old = load_bonds(in, st);
  const bool any_consensus =
      std::any_of(st.consensus.begin(), st.consensus.end(), [](i32f32 c) { return c != i32f32{}; });
  std::vector<i32f32> sums(st.n);
  csr ema = in.params.liquid_alpha && any_consensus
                ? liquid_alpha_ema(in, st, old, sums)
                : ema_rows(st.bond_weights, old, bonds_ema_rate(in.params.bonds_moving_average), sums);
  const std::vector<divider> d = dividers(sums);  // the column shares, never stored
  st.dividends.assign(st.n, i32f32{});
  for (std::size_t i = 0; i < st.n; ++i) {
    i32f32 t;
    for (std::size_t k = ema.begin(i); k < ema.end(i); ++k)
      t = t + d[ema.uid[k]].div_or_keep(ema.value[k]) * st.incentive[ema.uid[k]];
    st.dividends[i] = checked_mul_or_zero(t, st.active_stake[i]);
  }
  normalize(st.dividends);
  st.new_bonds = std::move(ema);
}

}  // namespace

csr load_bonds(const epoch_input& in, const epoch_state& st) {
  // last_tempo: bonds to a uid registered since the previous epoch are dropped.
  const std::uint64_t last_tempo =
      in.last_mechanism_step_block == 0
          ? (in.block > in.params.tempo ? in.block - in.params.tempo : 0)
          : in.last_mechanism_step_block + 1;
  const divider per_65535(i32f32::from_int(65535));  // from_u16_proportion, by multiplication
  std::size_t entries = 0;
  for (std::size_t i = 0; i < st.n; ++i) entries += in.bonds[i].size();
  csr out;
  out.reserve(st.n, entries);
  for (std::size_t i = 0; i < st.n; ++i) {
    for (const u16_entry& e : in.bonds[i]) {
      if (e.uid >= st.n || last_tempo <= in.registered_at[e.uid]) continue;
      // Yuma 3 stores absolute proportions; Yuma 2 stores column-upscaled integers.
      const i32f32 x = i32f32::from_int(e.value);
      out.push(e.uid, in.params.yuma3 ? per_65535.div(x) : x);
    }
    out.end_row();
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
                         i32f32 slope) noexcept {
  const i32f32 zero, one = i32f32::one();
  // Buying (weight at or above the bond) reacts to the lead over consensus; selling to the drop.
  const i32f32 diff =
      weight >= bond ? clamp(weight - consensus, zero, one) : clamp(bond - weight, zero, one);
  const i32f32 half = i32f32::from_raw(std::int64_t{1} << 31);
  const i32f32 sigmoid = one_over(one + exp_safe(slope * (diff - half)));
  return clamp(low + sigmoid * (high - low), low, high);
}

}  // namespace synod::consensus::detail
