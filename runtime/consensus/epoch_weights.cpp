// Weights, consensus, clipping and incentive (subtensor-economics.md §2.4-2.7;
// subtensor `run_epoch.rs`, `epoch/math.rs`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"
#include "synod/consensus/weighted_median.hpp"

namespace synod::consensus::detail {
namespace {

// Rows arrive sorted by uid from storage, so checking first saves a sort per row.
void sort_by_uid(fixed_row& row) {
  auto by_uid = [](const fixed_entry& a, const fixed_entry& b) { return a.uid < b.uid; };
  if (!std::is_sorted(row.begin(), row.end(), by_uid)) std::sort(row.begin(), row.end(), by_uid);
}

// Whether the weight i -> j survives the masks of §2.4 steps 2-5.
bool weight_kept(const epoch_input& in, std::size_t i, std::size_t j) {
  if (j == i && in.owner_uid != i) return false;  // only the owner may weight itself ("burn")
  if (in.last_update[i] <= in.registered_at[j]) return false;  // set before j registered
  if (!in.first_commit_block.empty() && in.first_commit_block[i] &&
      *in.first_commit_block[i] < in.registered_at[j])
    return false;  // committed for j's previous occupant
  return true;
}

// W~: 0 -> raw weights, 1 -> clipped weights, else raw + penalty * (clipped - raw), > 0 only.
// Nothing reads the clipped weights after this, so penalty 1 (the default) takes them over.
fixed_matrix penalized_weights(const epoch_input& in, epoch_state& st) {
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  if (penalty == i32f32{}) return st.weights;
  if (penalty == i32f32::one()) return std::move(st.clipped);
  fixed_matrix out(st.n);
  for (std::size_t i = 0; i < st.n; ++i)
    for (const fixed_entry& e : st.weights[i]) {  // clipped entries are a subset of these
      i32f32 clip = value_at(st.clipped[i], e.uid);
      i32f32 x = e.value + penalty * (clip - e.value);
      if (x > i32f32{}) out[i].push_back({e.uid, x});
    }
  return out;
}

}  // namespace

void compute_weights(const epoch_input& in, epoch_state& st) {
  st.weights.assign(st.n, {});
  for (std::size_t i = 0; i < st.n; ++i) {
    if (!st.permit_old[i]) continue;  // rows of uids without a permit are ignored
    fixed_row& row = st.weights[i];
    for (const u16_entry& e : in.weights[i])
      if (e.uid < st.n && weight_kept(in, i, e.uid))
        row.push_back({e.uid, i32f32::from_int(e.value)});
    sort_by_uid(row);
  }
  row_normalize(st.weights);
}

void compute_consensus(const epoch_input& in, epoch_state& st) {
  const i32f32 kappa = i32f32::from_u16_proportion(in.params.kappa);
  st.consensus = weighted_median_columns(st.active_stake, st.weights, st.n, kappa);
  st.clipped.assign(st.n, {});
  st.trust.assign(st.n, i32f32{});
  fixed_vector ranks(st.n);
  for (std::size_t i = 0; i < st.n; ++i) {
    for (const fixed_entry& e : st.weights[i]) {
      const i32f32 c = st.consensus[e.uid];
      // The sparse path drops an entry clipped to 0 rather than storing a zero.
      if (c < e.value && c == i32f32{}) continue;
      const i32f32 v = std::min(c, e.value);
      st.clipped[i].push_back({e.uid, v});
      st.trust[i] = st.trust[i] + v;
      ranks[e.uid] = ranks[e.uid] + st.active_stake[i] * v;
    }
  }
  st.incentive = ranks;
  normalize(st.incentive);
  st.bond_weights = penalized_weights(in, st);
}

}  // namespace synod::consensus::detail
