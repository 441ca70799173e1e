// Yuma 2's bonds and dividends (subtensor-economics.md §2.8) in plain 64-bit integers, for the
// epochs where every value is a proportion: stakes in [0, 1] (compute_consensus checked), an EMA
// rate in [0, 1] (bonds_moving_average at most a million) and old bonds whose column sums fit
// I32F32 (below 2^31). Then W~ * A and its column shares, the old bonds' shares, the EMA, its
// shares, I and D all lie in [0, 2^32]: no product or sum saturates, products of non-negatives
// floor as >> 32 does, and every division is a proportion_divider's (exact). yuma2_bonds in
// epoch_bonds.cpp is the same computation with the saturating operators, for the rest.
#include <algorithm>

#include "epoch_steps.hpp"

namespace synod::consensus::detail {
namespace {

// The I32F32 product of two values in [0, 2^32].
std::uint64_t mul(std::uint64_t a, std::uint64_t b) noexcept {
  return static_cast<std::uint64_t>((static_cast<u128>(a) * b) >> 32);
}

// Integer column sums of the kept old bonds; false when one reaches 2^31 (its I32F32 sum would
// saturate, and the generic path applies).
bool old_sums(const epoch_input& in, old_bonds& old, std::vector<std::uint64_t>& total) {
  total.assign(in.bonds.size(), 0);
  for (const u16_row& row : in.bonds)
    for (const u16_entry& e : row)
      if (old.kept(e.uid)) total[e.uid] += e.value;
  return std::all_of(total.begin(), total.end(), [](std::uint64_t t) { return t < (std::uint64_t{1} << 31); });
}

// Row-wise alpha * (fresh share) + (1 - alpha) * (old share) over the union of columns, kept
// where > 0, with the result's column sums: ema_rows' merge.
// by_fresh and by_old: per column, the share of W~ * A (by its column sum) and of the old bonds.
void merge_row(const csr& fresh, std::size_t i, std::span<const u16_entry> row, const old_bonds& old,
               std::uint64_t alpha, const proportion_divider* by_fresh, const proportion_divider* by_old,
               std::uint64_t* sums, csr& out) {
  const std::uint64_t keep = (std::uint64_t{1} << 32) - alpha;
  std::size_t f = fresh.begin(i);
  const std::size_t fe = fresh.end(i);
  auto o = row.begin();
  while (o != row.end() && !old.kept(o->uid)) ++o;
  while (f != fe || o != row.end()) {
    const std::uint32_t uf = f != fe ? fresh.uid[f] : 0x10000u;
    const std::uint32_t uo = o != row.end() ? o->uid : 0x10000u;
    const std::uint32_t u = std::min(uf, uo);
    std::uint64_t acc = 0;  // each product floored before the sum, as the chain's sparse EMA does
    if (uf == u) acc += mul(alpha, static_cast<std::uint64_t>(by_fresh[u].div(static_cast<std::uint64_t>(fresh.value[f++].raw()))));
    if (uo == u) {
      acc += mul(keep, static_cast<std::uint64_t>(by_old[u].div(o->value)));
      do ++o; while (o != row.end() && !old.kept(o->uid));
    }
    if (acc > 0) {
      out.push(static_cast<std::uint16_t>(u), i32f32::from_raw(static_cast<std::int64_t>(acc)));
      sums[u] += acc;
    }
  }
  out.start.push_back(out.uid.size());
}

}  // namespace

bool yuma2_bonds_fast(const epoch_input& in, epoch_state& st, i32f32 alpha) {
  st.bonds_proportions = false;
  if (!st.proportions || alpha < i32f32{} || alpha > i32f32::one()) return false;
  old_bonds old(in, st);
  std::vector<std::uint64_t>& total = st.ranks_scratch;  // free again after compute_consensus
  if (!old_sums(in, old, total)) return false;
  // Kept in the workspace: n-long arrays above malloc's mmap threshold come back as fresh
  // pages every epoch otherwise.
  st.fresh_share.resize(st.n);
  st.old_share.resize(st.n);
  for (std::size_t j = 0; j < st.n; ++j) {
    st.fresh_share[j] = proportion_divider(st.bought_sums[j].raw());
    // The old bonds are integers v: (v << 32) / (total << 32) is v * 2^32 / total.
    st.old_share[j] = proportion_divider(static_cast<std::int64_t>(total[j]));
  }
  const csr& bought = st.bond_weights;  // already scaled by stake (compute_consensus)
  csr& ema = st.new_bonds;
  ema.clear();
  ema.reserve(st.n, bought.uid.size() + old.entries());
  std::vector<std::uint64_t>& sums = st.bought_scratch;
  sums.assign(st.n, 0);
  for (std::size_t i = 0; i < st.n; ++i)
    merge_row(bought, i, old.row(i), old, static_cast<std::uint64_t>(alpha.raw()), st.fresh_share.data(),
              st.old_share.data(), sums.data(), ema);
  // Column-normalized; D_i = sum_j I_j * B_ij; the column maxima for col_max_upscale.
  std::vector<proportion_divider>& share = st.share;
  share.resize(st.n);
  for (std::size_t j = 0; j < st.n; ++j) share[j] = proportion_divider(static_cast<std::int64_t>(sums[j]));
  std::vector<std::uint64_t>& maxima = total;
  maxima.assign(st.n, 0);
  st.dividends.assign(st.n, i32f32{});
  const auto* incentive = reinterpret_cast<const std::int64_t*>(st.incentive.data());
  // Plain pointers: through the vectors, every store to a value made the compiler reload the
  // row bounds and the other arrays' addresses.
  const std::uint16_t* uid = ema.uid.data();
  i32f32* value = ema.value.data();
  const std::size_t* start = ema.start.data();
  const proportion_divider* by_share = share.data();
  std::uint64_t* max_of = maxima.data();
  for (std::size_t i = 0; i < st.n; ++i) {
    std::uint64_t div = 0;
    const std::size_t end = start[i + 1];
    for (std::size_t k = start[i]; k < end; ++k) {
      const std::uint16_t j = uid[k];
      const auto v = static_cast<std::uint64_t>(by_share[j].div(static_cast<std::uint64_t>(value[k].raw())));
      value[k] = i32f32::from_raw(static_cast<std::int64_t>(v));
      div += mul(static_cast<std::uint64_t>(incentive[j]), v);
      max_of[j] = std::max(max_of[j], v);
    }
    st.dividends[i] = i32f32::from_raw(static_cast<std::int64_t>(div));
  }
  normalize(st.dividends);
  st.bond_scale.resize(st.n);
  for (std::size_t j = 0; j < st.n; ++j) st.bond_scale[j] = i32f32::from_raw(static_cast<std::int64_t>(maxima[j]));
  st.bonds_proportions = true;
  return true;
}

}  // namespace synod::consensus::detail
