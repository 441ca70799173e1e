// Weights, consensus, clipping and incentive (subtensor-economics.md §2.4-2.7;
// subtensor `run_epoch.rs`, `epoch/math.rs`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"

namespace synod::consensus::oracle::detail {
namespace {

// §2.4 steps 2-5 for row i hoisted out of the entry loop: the weight i -> j survives when j
// registered before `limit` and, unless i owns the subnet, j != i.
std::uint64_t registration_limit(const epoch_input& in, std::size_t i) {
  std::uint64_t limit = in.last_update[i];  // set after j registered
  if (!in.first_commit_block.empty() && in.first_commit_block[i] &&
      *in.first_commit_block[i] != ~std::uint64_t{0})
    limit = std::min(limit, *in.first_commit_block[i] + 1);  // not committed for j's predecessor
  return limit;
}

// Row sums of stored u16 weights are integers: unless the I32F32 sum saturates, dividing by it
// is a 64-bit division, done by the divider.
void normalize_row(csr& w, std::size_t b, std::uint64_t total) {
  if (total == 0) return;  // a row summing to 0 stays
  constexpr std::uint64_t max_whole = std::uint64_t{1} << 31;
  const i32f32 s = total < max_whole ? i32f32::from_raw(static_cast<std::int64_t>(total << 32))
                                     : i32f32::from_raw(INT64_MAX);  // the sum saturated
  const divider d(s);
  for (std::size_t k = b; k < w.value.size(); ++k) w.value[k] = d.div(w.value[k]);
}

}  // namespace

void compute_weights(const epoch_input& in, epoch_state& st) {
  std::size_t entries = 0;
  for (std::size_t i = 0; i < st.n; ++i)
    if (st.permit_old[i]) entries += in.weights[i].size();
  csr& w = st.weights;
  w.reserve(st.n, entries);
  for (std::size_t i = 0; i < st.n; ++i) {
    if (st.permit_old[i]) {  // rows of uids without a permit are ignored
      const std::size_t b = w.uid.size();
      const std::uint64_t limit = registration_limit(in, i);
      const bool owner = in.owner_uid == i;  // only the owner may weight itself ("burn")
      std::uint64_t total = 0;
      for (const u16_entry& e : in.weights[i]) {
        if (e.uid >= st.n || in.registered_at[e.uid] >= limit || (e.uid == i && !owner)) continue;
        w.push(e.uid, i32f32::from_int(e.value));
        total += e.value;
      }
      normalize_row(w, b, total);
    }
    w.end_row();
  }
}

void compute_consensus(const epoch_input& in, epoch_state& st) {
  const i32f32 kappa = i32f32::from_u16_proportion(in.params.kappa);
  st.consensus = column_medians(st.active_stake, st.weights, st.n, kappa);
  // One pass: clip to C, trust, ranks, and W~ = W + penalty * (clipped - W), kept where > 0
  // (for Yuma 2 times the row's stake, with column sums).
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool clip_only = penalty == i32f32::one();
  st.trust.assign(st.n, i32f32{});
  fixed_vector ranks(st.n);
  csr& w = st.weights;  // W~ overwrites W in place: each entry gives at most one, never ahead
  std::size_t out = 0;
  const bool scale_by_stake = !in.params.yuma3;
  fixed_vector& bought_sums = st.bought_sums;
  bought_sums.assign(scale_by_stake ? st.n : 0, i32f32{});
  for (std::size_t i = 0; i < st.n; ++i) {
    const i32f32 stake = st.active_stake[i];
    i32f32 trust;
    const std::size_t b = w.begin(i), e = w.end(i);
    w.start[i] = out;
    for (std::size_t k = b; k < e; ++k) {
      const std::uint16_t j = w.uid[k];
      const i32f32 x = w.value[k], c = st.consensus[j];
      // The sparse path drops an entry clipped to 0 rather than storing a zero.
      const bool dropped = c < x && c == i32f32{};
      const i32f32 v = dropped ? i32f32{} : std::min(c, x);
      if (!dropped) {
        trust = trust + v;
        ranks[j] = ranks[j] + stake * v;
      }
      i32f32 y = x;  // penalty 0: W~ = W
      if (clip_only) {
        if (dropped) continue;
        y = v;
      } else if (penalty != i32f32{}) {
        y = x + penalty * (v - x);
        if (!(y > i32f32{})) continue;
      }
      if (scale_by_stake) {  // Yuma 2 buys bonds with W~ scaled by stake: done here, one pass
        y = y * stake;
        bought_sums[j] = bought_sums[j] + y;
      }
      w.uid[out] = j;
      w.value[out++] = y;
    }
    st.trust[i] = trust;
  }
  w.start[st.n] = out;
  w.uid.resize(out);
  w.value.resize(out);
  st.bond_weights = std::move(w);  // W is not read again
  st.incentive = std::move(ranks);
  normalize(st.incentive);
}

}  // namespace synod::consensus::oracle::detail
