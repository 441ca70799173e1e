// Stake, activity and permits (subtensor-economics.md §2.2-2.3; subtensor `run_epoch.rs`).
#include <algorithm>
#include <bit>
#include <climits>
#include <cstring>
#include <span>
#include <utility>

#include "epoch_dense_kernels.hpp"
#include "epoch_steps.hpp"
#include "wide.hpp"

namespace synod::consensus::detail {
namespace {

// S: stakes below the threshold count as 0 (the owner is exempt), then normalized in I64F64
// and narrowed to I32F32 by dropping bits. Read from the input in place: no filtered copy.
class stake_filter {
 public:
  // Copies of what it reads, not a reference to the input: the pass over every uid stores
  // flags through char pointers, which may alias the input, whose fields were then reloaded
  // for every uid.
  explicit stake_filter(const epoch_input& in)
      : stake_(in.stake.data()),
        owner_(in.owner_uid ? *in.owner_uid : ~std::size_t{0}),
        threshold_(static_cast<i128>(in.params.stake_threshold)) {}
  [[nodiscard]] i64f64 operator()(std::size_t i) const noexcept {
    const i64f64 x = stake_[i];
    return (owner_ == i || x.floor_int() >= threshold_) ? x : i64f64{};
  }

 private:
  const i64f64* stake_;
  std::size_t owner_;
  i128 threshold_;
};

// The saturating I64F64 sum of the filtered stakes of the `staked` uids (the others' are 0,
// which leave the fold as it is), and whether none is negative.
std::pair<i64f64, bool> stake_sum(const stake_filter& filtered, std::span<const std::uint32_t> staked) {
  i128 total = 0;  // exact until it first saturates
  bool saturated = false, all_non_negative = true;
  for (std::uint32_t i : staked) {
    const i128 x = filtered(i).raw();
    all_non_negative = all_non_negative && x >= 0;
    if (!saturated && __builtin_add_overflow(total, x, &total)) saturated = true;
  }
  if (!saturated) return {i64f64::from_raw(total), all_non_negative};
  i64f64 sum;  // rare: redo it step by step, as the chain's saturating fold does
  for (std::uint32_t i : staked) sum = sum + filtered(i);
  return {sum, all_non_negative};
}

// The permits as chars, and the uids holding one in `listed`. libstdc++ keeps a vector<bool>
// in words, read here a word at a time: most are 0 (few uids hold a permit), and a loop over
// its bits took three instructions per uid. Other libraries' are read bit by bit.
void permit_flags(const std::vector<bool>& permits, char* flags, std::vector<std::uint32_t>& listed) {
  const std::size_t n = permits.size();
  listed.clear();
#if defined(__GLIBCXX__)
  const auto* words = permits.begin()._M_p;  // the first bit is bit 0 of the first word
  constexpr std::size_t word_bits = sizeof(*words) * CHAR_BIT;
  for (std::size_t first = 0; first < n; first += word_bits, ++words) {
    const std::size_t count = std::min(word_bits, n - first);
    auto bits = *words;
    if (count < word_bits) bits &= (decltype(bits){1} << count) - 1;  // past the last uid: unspecified
    std::memset(flags + first, 0, count);
    for (; bits != 0; bits &= bits - 1) {
      const std::size_t i = first + static_cast<std::size_t>(std::countr_zero(bits));
      flags[i] = 1;
      listed.push_back(static_cast<std::uint32_t>(i));
    }
  }
#else
  for (std::size_t i = 0; i < n; ++i) {
    flags[i] = permits[i];
    if (permits[i]) listed.push_back(static_cast<std::uint32_t>(i));
  }
#endif
}

// The passes over every uid: old permits, activity, the latest registration, which uids'
// bonds survive §2.7's last_tempo mask, and the uids whose filtered stake is not 0 (few, on a
// sparse subnet: the steps after visit those alone). Each a loop of its own: activity and
// registration in this CPU's vectors (a kernel), the two lists from scans that skip a run of
// uids holding neither at a time.
void uid_flags(const epoch_input& in, const stake_filter& filtered, epoch_state& st) {
  const std::size_t n = st.n;
  for (auto* v : {&st.permit_old, &st.permit_new, &st.inactive, &st.bond_kept}) v->resize(n);
  // last_tempo: bonds to a uid registered since the previous epoch are dropped.
  const std::uint64_t last_tempo = in.last_mechanism_step_block == 0
                                       ? (in.block > in.params.tempo ? in.block - in.params.tempo : 0)
                                       : in.last_mechanism_step_block + 1;
  // Strict: still active at last_update + cutoff. The sum saturates, as the chain's does.
  std::uint64_t latest = 0;
  st.all_bonds_kept = dense::kernels().activity(in.last_update.data(), in.registered_at.data(), n,
                                                in.params.activity_cutoff, in.block, last_tempo, st.inactive.data(),
                                                st.bond_kept.data(), latest);
  st.latest_registration = latest;
  permit_flags(in.validator_permit, st.permit_old.data(), st.permitted);
  st.staked.clear();
  const i64f64* stake = in.stake.data();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {  // most stakes of a sparse subnet are 0: four at a time
    if ((stake[i].raw() | stake[i + 1].raw() | stake[i + 2].raw() | stake[i + 3].raw()) == 0) continue;
    for (std::size_t k = i; k < i + 4; ++k)
      if (filtered(k) != i64f64{}) st.staked.push_back(static_cast<std::uint32_t>(k));
  }
  for (; i < n; ++i)
    if (filtered(i) != i64f64{}) st.staked.push_back(static_cast<std::uint32_t>(i));
}

// is_topk_nonzero: holders of non-zero S, minus the n - k smallest. The stable ascending sort
// drops the lower uid first among equal stakes, as subtensor's does: the n - k smallest by
// (stake, uid), which a selection finds without sorting. `out` already marks the non-zero
// stakes (compute_stake's pass), of which there are `nonzero`.
void top_k_nonzero(const fixed_vector& stake, std::size_t k, std::size_t nonzero, bool any_negative,
                   std::vector<char>& out) {
  const std::size_t n = stake.size();
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
  const stake_filter filtered(in);
  // S and A are 0 but for the staked uids, between epochs too: the last epoch's are cleared
  // (its list is still there), not all n, and this epoch's written below.
  st.stake.resize(n);
  st.active_stake.resize(n);
  for (std::uint32_t i : st.staked)
    if (i < n) st.stake[i] = st.active_stake[i] = i32f32{};
  uid_flags(in, filtered, st);
  const std::vector<std::uint32_t>& staked = st.staked;
  const auto [sum, all_non_negative] = stake_sum(filtered, staked);
  const bool has_owner = in.owner_uid && *in.owner_uid < n;
  const std::size_t owner = has_owner ? *in.owner_uid : n;
  st.owner = owner;
  if (has_owner && !st.permit_old[owner]) {
    st.permit_old[owner] = true;
    const auto at = std::lower_bound(st.permitted.begin(), st.permitted.end(), owner);
    st.permitted.insert(at, static_cast<std::uint32_t>(owner));
  }
  std::fill(st.permit_new.begin(), st.permit_new.end(), 0);  // set below for the staked
  const char* permit_old_at = st.permit_old.data();
  const char* inactive_at = st.inactive.data();
  // §2.2's S and §2.3's A before normalizing, over the staked uids in ascending order: the
  // saturating sum of A skips only zeros, which leave it as it is.
  std::size_t nonzero = 0;
  bool any_negative = false;
  i32f32 active_sum;
  i32f32* stake = st.stake.data();
  i32f32* active = st.active_stake.data();
  char* permit_new_at = st.permit_new.data();
  for (std::uint32_t i : staked) {
    const i64f64 x = filtered(i);
    i32f32 s;
    if (sum == i64f64{})
      s = x.to_i32f32();
    else if (all_non_negative)  // then each stake is at most the (saturating) total
      s = i32f32::from_raw(proportion_of(static_cast<u128>(x.raw()), static_cast<u128>(sum.raw())));
    else
      s = safe_div(x, sum).to_i32f32();
    stake[i] = s;
    permit_new_at[i] = s != i32f32{};
    nonzero += s != i32f32{};
    any_negative = any_negative || s < i32f32{};
    active[i] = inactive_at[i] || !permit_old_at[i] ? i32f32{} : s;
    active_sum = active_sum + active[i];
  }
  top_k_nonzero(st.stake, in.params.max_allowed_validators, nonzero, any_negative, st.permit_new);
  if (has_owner) st.permit_new[owner] = true;
  if (active_sum != i32f32{}) {  // else normalize leaves it as it is
    const divider by_sum(active_sum);
    for (std::uint32_t i : staked)
      if (active[i] != i32f32{}) active[i] = by_sum.div(active[i]);  // 0 / sum is 0: others stay 0
  }
  // Whether every A is in [0, 1] (compute_consensus's integer paths), found here where only
  // the staked uids' can be other than 0.
  st.proportions = std::all_of(staked.begin(), staked.end(),
                               [&](std::uint32_t i) { return active[i] >= i32f32{} && active[i] <= i32f32::one(); });
}

}  // namespace synod::consensus::detail
