// Bonds and dividends (subtensor-economics.md §2.7-2.9; subtensor `run_epoch.rs`
// `compute_bonds`, `compute_dividends`, `compute_ema_bonds*`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"

namespace synod::consensus::oracle::detail {
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

// Row-wise alpha * fresh + (1 - alpha) * old over the union of columns, keeping entries > 0,
// each input first divided by its column's divider where one is given (col_normalize, fused);
// `sums` receives the column sums of the result.
csr ema_rows(const csr& fresh, old_bonds& old, i32f32 alpha, std::vector<i32f32>& sums,
             std::span<const divider> fresh_div, std::span<const divider> old_div) {
  const i32f32 keep = i32f32::one() - alpha;
  auto fresh_at = [&](std::size_t k) {
    return fresh_div.empty() ? fresh.value[k] : fresh_div[fresh.uid[k]].div_or_keep(fresh.value[k]);
  };
  auto old_at = [&](const u16_entry& e) {
    return old_div.empty() ? old.value(e.value) : old_div[e.uid].div_or_keep(old.value(e.value));
  };
  csr out;
  out.reserve(fresh.rows(), fresh.uid.size() + old.entries());
  for (std::size_t i = 0; i < fresh.rows(); ++i) {
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
      if (acc > i32f32{}) {
        out.push(u, acc);
        sums[u] = sums[u] + acc;
      }
    }
    out.start.push_back(out.uid.size());
  }
  return out;
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
void yuma2_bonds(const epoch_input& in, epoch_state& st) {
  old_bonds old(in, st.n);
  const csr& bought = st.bond_weights;  // already scaled by stake (compute_consensus)
  // Both inputs column-normalized as the merge reads them.
  std::vector<i32f32> sums(st.n);
  csr ema = ema_rows(bought, old, bonds_ema_rate(in.params.bonds_moving_average), sums,
                     dividers(st.bought_sums), dividers(old_col_sums(in, old, st.n)));
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
csr liquid_alpha_ema(const epoch_input& in, const epoch_state& st, old_bonds& old,
                     std::vector<i32f32>& sums) {
  const i32f32 low = i32f32::from_u16_proportion(in.params.alpha_low);
  const i32f32 high = i32f32::from_u16_proportion(in.params.alpha_high);
  const i32f32 slope = safe_div(i32f32::from_int(in.params.alpha_sigmoid_steepness), i32f32::from_int(-100));
  const csr& w = st.bond_weights;
  csr out;
  out.reserve(st.n, w.uid.size());
  fixed_vector bond, rate;  // one row's old bonds and rates, aligned with its W~ entries
  for (std::size_t i = 0; i < st.n; ++i) {
    const std::span<const u16_entry> row = old.row(i);
    auto o = row.begin();
    const std::size_t b = w.begin(i), e = w.end(i);
    bond.assign(e - b, i32f32{});
    rate.resize(e - b);
    for (std::size_t k = b; k < e; ++k) {
      const std::uint16_t j = w.uid[k];
      while (o != row.end() && o->uid < j) ++o;  // both rows ascend: a merge, not a search
      if (o != row.end() && o->uid == j && old.kept(j)) bond[k - b] = old.value(o->value);
      rate[k - b] = liquid_alpha_exp_arg(st.consensus[j], w.value[k], bond[k - b], slope);
    }
    exp_safe_all(rate);
    for (std::size_t k = b; k < e; ++k) {
      const std::uint16_t j = w.uid[k];
      const i32f32 x = w.value[k], bk = bond[k - b];
      const i32f32 a = liquid_alpha_rate(rate[k - b], low, high);
      const i32f32 bought = std::max(a * x, i32f32{});
      const i32f32 v = std::min((i32f32::one() - a) * bk + bought, i32f32::one());
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
  old_bonds old(in, st.n);
  const bool any_consensus =
      std::any_of(st.consensus.begin(), st.consensus.end(), [](i32f32 c) { return c != i32f32{}; });
  std::vector<i32f32> sums(st.n);
  csr ema = in.params.liquid_alpha && any_consensus
                ? liquid_alpha_ema(in, st, old, sums)
                : ema_rows(st.bond_weights, old, bonds_ema_rate(in.params.bonds_moving_average), sums,
                           {}, {});
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

old_bonds::old_bonds(const epoch_input& in, std::size_t n)
    : in_(in), kept_(n), yuma3_(in.params.yuma3), per_65535_(i32f32::from_int(65535)) {
  // last_tempo: bonds to a uid registered since the previous epoch are dropped.
  const std::uint64_t last_tempo =
      in.last_mechanism_step_block == 0
          ? (in.block > in.params.tempo ? in.block - in.params.tempo : 0)
          : in.last_mechanism_step_block + 1;
  for (std::size_t j = 0; j < n; ++j) kept_[j] = last_tempo > in.registered_at[j];
  for (std::size_t i = 0; i < n; ++i) entries_ += in.bonds[i].size();
}

std::span<const u16_entry> old_bonds::row(std::size_t i) {
  const u16_row& r = in_.bonds[i];
  auto by_uid = [](const u16_entry& a, const u16_entry& b) { return a.uid < b.uid; };
  if (std::is_sorted(r.begin(), r.end(), by_uid)) return r;  // how storage keeps them
  scratch_.assign(r.begin(), r.end());
  std::sort(scratch_.begin(), scratch_.end(), by_uid);
  return scratch_;
}

void compute_bonds(const epoch_input& in, epoch_state& st) {
  if (in.params.yuma3)
    yuma3_bonds(in, st);
  else
    yuma2_bonds(in, st);
}

i32f32 liquid_alpha_exp_arg(i32f32 consensus, i32f32 weight, i32f32 bond, i32f32 slope) noexcept {
  const i32f32 zero, one = i32f32::one();
  // Buying (weight at or above the bond) reacts to the lead over consensus; selling to the drop.
  const i32f32 diff =
      weight >= bond ? clamp(weight - consensus, zero, one) : clamp(bond - weight, zero, one);
  const i32f32 half = i32f32::from_raw(std::int64_t{1} << 31);
  return slope * (diff - half);
}

i32f32 liquid_alpha_rate(i32f32 exp_value, i32f32 low, i32f32 high) noexcept {
  const i32f32 sigmoid = one_over(i32f32::one() + exp_value);
  return clamp(low + sigmoid * (high - low), low, high);
}

}  // namespace synod::consensus::oracle::detail
