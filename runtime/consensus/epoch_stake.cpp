// Stake, activity and permits (subtensor-economics.md §2.2-2.3; subtensor `run_epoch.rs`).
#include <algorithm>
#include <utility>

#include "epoch_steps.hpp"
#include "wide.hpp"

namespace synod::consensus::detail {
namespace {

// S: stakes below the threshold count as 0 (the owner is exempt), then normalized in I64F64
// and narrowed to I32F32 by dropping bits. Read from the input in place: no filtered copy.
void normalized_stake(const epoch_input& in, std::size_t n, fixed_vector& out) {
  const i128 threshold = static_cast<i128>(in.params.stake_threshold);
  auto filtered = [&](std::size_t i) {
    const i64f64 x = in.stake[i];
    return (in.owner_uid == i || x.floor_int() >= threshold) ? x : i64f64{};
  };
  i128 total = 0;  // the saturating I64F64 sum: exact until it first saturates
  bool saturated = false, all_non_negative = true;
  for (std::size_t i = 0; i < n; ++i) {
    const i128 x = filtered(i).raw();
    all_non_negative = all_non_negative && x >= 0;
    if (!saturated && __builtin_add_overflow(total, x, &total)) saturated = true;
  }
  i64f64 sum = i64f64::from_raw(total);
  if (saturated) {  // rare: redo it step by step, as the chain's saturating fold does
    sum = i64f64{};
    for (std::size_t i = 0; i < n; ++i) sum = sum + filtered(i);
  }
  out.assign(n, i32f32{});  // zeros: most uids hold no stake, and 0 / total is 0 (a wide division)
  for (std::size_t i = 0; i < n; ++i) {
    const i64f64 x = filtered(i);
    if (x == i64f64{}) continue;
    if (sum == i64f64{})
      out[i] = x.to_i32f32();
    else if (all_non_negative)  // then each stake is at most the (saturating) total
      out[i] = i32f32::from_raw(proportion_of(static_cast<u128>(x.raw()), static_cast<u128>(sum.raw())));
    else
      out[i] = safe_div(x, sum).to_i32f32();
  }
}

// is_topk_nonzero: holders of non-zero S, minus the n - k smallest. The stable ascending sort
// drops the lower uid first among equal stakes, as subtensor's does: the n - k smallest by
// (stake, uid), which a selection finds without sorting.
void top_k_nonzero(const fixed_vector& stake, std::size_t k, std::vector<char>& out) {
  const std::size_t n = stake.size();
  out.resize(n);
  std::size_t nonzero = 0;
  bool any_negative = false;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = stake[i] != i32f32{};
    nonzero += stake[i] != i32f32{};
    any_negative = any_negative || stake[i] < i32f32{};
  }
  if (n <= k) return;
  // Zero stakes are false already. With at most k non-zero ones, the n - k dropped are all
  // zeros: unless a stake is negative (the type allows it), nothing below 0 sorts first.
  if (nonzero <= k && !any_negative) return;
  std::vector<std::pair<std::int64_t, std::size_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {stake[i].raw(), i};
  const auto drop = static_cast<std::ptrdiff_t>(n - k);
  std::nth_element(order.begin(), order.begin() + drop - 1, order.end());
  for (std::ptrdiff_t r = 0; r < drop; ++r) out[order[static_cast<std::size_t>(r)].second] = false;
}

}  // namespace

void compute_stake(const epoch_input& in, epoch_state& st) {
  const std::size_t n = st.n;
  normalized_stake(in, n, st.stake);
  st.permit_old.assign(in.validator_permit.begin(), in.validator_permit.end());
  top_k_nonzero(st.stake, in.params.max_allowed_validators, st.permit_new);
  if (in.owner_uid && *in.owner_uid < n) {
    st.permit_old[*in.owner_uid] = true;
    st.permit_new[*in.owner_uid] = true;
  }
  st.inactive.resize(n);
  st.active_stake.resize(n);
  i32f32 active_sum;
  for (std::size_t i = 0; i < n; ++i) {
    // Strict: still active at last_update + cutoff. The sum saturates, as the chain's does.
    std::uint64_t until = in.last_update[i] + in.params.activity_cutoff;
    if (until < in.last_update[i]) until = ~std::uint64_t{0};
    const bool inactive = until < in.block;
    st.inactive[i] = inactive;
    st.active_stake[i] = inactive || !st.permit_old[i] ? i32f32{} : st.stake[i];
    active_sum = active_sum + st.active_stake[i];
  }
  if (active_sum == i32f32{}) return;  // normalize leaves it as it is
  const divider by_sum(active_sum);
  for (i32f32& x : st.active_stake)
    if (x != i32f32{}) x = by_sum.div(x);  // 0 / sum is 0: most uids hold no active stake
}

}  // namespace synod::consensus::detail
