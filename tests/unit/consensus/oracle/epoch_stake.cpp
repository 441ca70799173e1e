// Stake, activity and permits (subtensor-economics.md §2.2-2.3; subtensor `run_epoch.rs`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"

namespace synod::consensus::oracle::detail {
namespace {

// S: stakes below the threshold count as 0 (the owner is exempt), then normalized in I64F64
// and narrowed to I32F32 by dropping bits.
fixed_vector normalized_stake(const epoch_input& in, std::size_t n) {
  std::vector<i64f64> s(in.stake);
  const i128 threshold = static_cast<i128>(in.params.stake_threshold);
  for (std::size_t i = 0; i < n; ++i)
    if (in.owner_uid != i && s[i].floor_int() < threshold) s[i] = i64f64{};
  i64f64 total;
  for (i64f64 x : s) total = total + x;
  fixed_vector out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = (total == i64f64{} ? s[i] : safe_div(s[i], total)).to_i32f32();
  return out;
}

// is_topk_nonzero: holders of non-zero S, minus the n - k smallest. The stable ascending sort
// drops the lower uid first among equal stakes, as subtensor's does: the n - k smallest by
// (stake, uid), which a selection finds without sorting.
std::vector<bool> top_k_nonzero(const fixed_vector& stake, std::size_t k) {
  const std::size_t n = stake.size();
  std::vector<bool> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = stake[i] != i32f32{};
  if (n <= k) return out;
  std::vector<std::pair<std::int64_t, std::size_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {stake[i].raw(), i};
  const auto drop = static_cast<std::ptrdiff_t>(n - k);
  std::nth_element(order.begin(), order.begin() + drop - 1, order.end());
  for (std::ptrdiff_t r = 0; r < drop; ++r) out[order[static_cast<std::size_t>(r)].second] = false;
  return out;
}

}  // namespace

void compute_stake(const epoch_input& in, epoch_state& st) {
  const std::size_t n = st.n;
  st.stake = normalized_stake(in, n);
  st.inactive.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    // Strict: still active at last_update + cutoff. The sum saturates, as the chain's does.
    std::uint64_t until = in.last_update[i] + in.params.activity_cutoff;
    if (until < in.last_update[i]) until = ~std::uint64_t{0};
    st.inactive[i] = until < in.block;
  }
  st.permit_old = in.validator_permit;
  st.permit_new = top_k_nonzero(st.stake, in.params.max_allowed_validators);
  if (in.owner_uid && *in.owner_uid < n) {
    st.permit_old[*in.owner_uid] = true;
    st.permit_new[*in.owner_uid] = true;
  }
  st.active_stake = st.stake;
  for (std::size_t i = 0; i < n; ++i)
    if (st.inactive[i] || !st.permit_old[i]) st.active_stake[i] = i32f32{};
  normalize(st.active_stake);
}

}  // namespace synod::consensus::oracle::detail
