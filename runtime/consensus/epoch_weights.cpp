// Weights, consensus, clipping and incentive (subtensor-economics.md §2.4-2.7;
// subtensor `run_epoch.rs`, `epoch/math.rs`).
#include <algorithm>
#include <span>
#include <utility>

#include "epoch_dense_kernels.hpp"
#include "epoch_steps.hpp"

namespace synod::consensus::detail {

std::uint64_t registration_limit(const epoch_input& in, std::size_t i) {
  std::uint64_t limit = in.last_update[i];  // set after j registered
  if (!in.first_commit_block.empty() && in.first_commit_block[i] &&
      *in.first_commit_block[i] != ~std::uint64_t{0})
    limit = std::min(limit, *in.first_commit_block[i] + 1);  // not committed for j's predecessor
  return limit;
}

namespace {

// Row sums of stored u16 weights are integers: unless the I32F32 sum saturates, (v << 32) /
// (total << 32) is v * 2^32 / total for a v at most the total, a share_divider's quotient.
// When it saturates (a dense row of 65,536 uids can), (v << 64) / (2^63 - 1) is 2v, as
// v << 64 = 2v * (2^63 - 1) + 2v with 2v < 2^63 - 1 (divider_test checks every v). A row
// summing to 0 holds only zeros. So each normalized weight is 0 exactly when v is.
class row_normalizer {
 public:
  explicit row_normalizer(std::uint64_t total) noexcept
      : saturated_(total >= (std::uint64_t{1} << 31)), by_(saturated_ ? 0 : total) {}
  [[nodiscard]] i32f32 operator()(std::uint16_t v) const noexcept {
    return i32f32::from_raw(static_cast<std::int64_t>(saturated_ ? 2 * std::uint64_t{v} : by_.div(v)));  // total 0: v, 0
  }

 private:
  bool saturated_;
  share_divider by_;
};

// The clip pass in plain 64-bit integers. Every value here lies in [0, 2^32] (1.0): W entries
// are v * 2^32 / (row sum) with v at most the sum, C is one of them, the penalty is a
// proportion, and so are the stakes (checked by the caller: the type allows others). So each
// I32F32 product is below 2^64 >> 32 and never saturates, and every sum (trust: a row of W;
// bought sums: at most the stakes' sum, 1) stays far below 2^63: the saturating operators
// reduce to these. Products of non-negatives floor as the shift does; the penalty's product of
// a non-positive difference floors toward -inf, as >> on a signed 128-bit value does. The
// ranks are the medians' (column_medians sums them from its gathered columns). Clipping only
// (the default penalty), a row is the kernels' clip_row; this loop takes penalties below 1.
//
// `fetch`: C and the bought sums outgrow the L2 cache (16 bytes a column), so each entry
// fetches the columns of the entry 16 ahead: a sparse subnet's rows name columns all over both
// arrays. Where they fit, the fetches are only extra instructions.
template <bool zero_penalty, bool scale_by_stake, bool fetch>
std::uint64_t clip_row(csr& w, std::size_t b, std::size_t e, std::size_t& out, const std::int64_t* cons,
                       std::uint64_t stake, std::int64_t penalty, std::uint64_t* bought) {
  std::uint64_t trust = 0;
  std::uint16_t* uid = w.uid.data();
  i32f32* value = w.value.data();
  for (std::size_t k = b; k < e; ++k) {
    if constexpr (fetch) {
      const std::uint16_t ahead = uid[k + 16 < e ? k + 16 : k];
      __builtin_prefetch(cons + ahead);
      if constexpr (scale_by_stake) __builtin_prefetch(bought + ahead, 1);
    }
    const std::uint16_t j = uid[k];
    const std::int64_t x = value[k].raw(), c = cons[j];
    const std::int64_t v = std::min(c, x);  // clipped; 0 when C is 0
    trust += static_cast<std::uint64_t>(v);
    std::int64_t y = x;  // penalty 0: W~ = W
    bool keep = true;
    if constexpr (!zero_penalty) {
      y = x + static_cast<std::int64_t>((static_cast<i128>(penalty) * (v - x)) >> 32);
      keep = y > 0;
    }
    if constexpr (scale_by_stake) {
      y = static_cast<std::int64_t>((static_cast<u128>(stake) * static_cast<std::uint64_t>(y)) >> 32);
      bought[j] += keep ? static_cast<std::uint64_t>(y) : 0;
    }
    uid[out] = j;  // written either way, kept by advancing: no branch to mispredict
    value[out] = i32f32::from_raw(y);
    out += keep;
  }
  return trust;
}

template <bool clip_only, bool zero_penalty, bool scale_by_stake>
void clip_rows(epoch_state& st, std::int64_t penalty, std::uint64_t* bought) {
  csr& w = st.weights;  // W~ overwrites W in place: each entry gives at most one, never ahead
  const auto* cons = reinterpret_cast<const std::int64_t*>(st.consensus.data());
  std::size_t out = 0, next = 0;  // rows before next have their start
  st.trust_listed.clear(st.trust, st.n, st.epochs);  // a row without weights trusts 0
  const bool far = st.n > (std::size_t{1} << 15);  // 512 KiB of C and bought sums: half this machine's L2
  const auto clip_only_row = dense::kernels().clip_row;
  for (std::uint32_t i : st.weight_rows) {  // the others are empty: most rows of a sparse subnet
    std::fill(w.start.begin() + next, w.start.begin() + i, out);
    const std::size_t b = w.begin(i), e = w.end(i);
    w.start[i] = out;
    const auto stake = static_cast<std::uint64_t>(st.active_stake[i].raw());
    std::uint64_t trust = 0;
    if constexpr (clip_only)  // the bought sums are the ranks: the kernel adds into no column
      out = clip_only_row(w.uid.data(), reinterpret_cast<std::uint64_t*>(w.value.data()), b, e, out,
                          reinterpret_cast<const std::uint64_t*>(cons), stake, scale_by_stake, trust);
    else
      trust = far ? clip_row<zero_penalty, scale_by_stake, true>(w, b, e, out, cons, stake, penalty, bought)
                  : clip_row<zero_penalty, scale_by_stake, false>(w, b, e, out, cons, stake, penalty, bought);
    st.trust[i] = i32f32::from_raw(static_cast<std::int64_t>(trust));
    next = i + 1;
  }
  std::fill(w.start.begin() + next, w.start.end(), out);
  st.trust_listed.mark(st.weight_rows, st.epochs);
  // Not cut to the entries kept: rows are read through w.start alone, and W's memory serves the
  // next epoch's W, whose regrowth past a cut would zero the difference (a quarter of the
  // entries at 65536x1024, 0.2 ms).
}

template <bool scale_by_stake>
void clip_rows(epoch_state& st, i32f32 penalty, std::uint64_t* bought) {
  if (penalty == i32f32::one())
    clip_rows<true, false, scale_by_stake>(st, penalty.raw(), bought);
  else if (penalty == i32f32{})
    clip_rows<false, true, scale_by_stake>(st, penalty.raw(), bought);
  else
    clip_rows<false, false, scale_by_stake>(st, penalty.raw(), bought);
}

// The clip pass with the saturating operators, for stakes outside [0, 1] (a caller may pass
// negative stakes; the chain never does): what clip_rows computes when its bounds hold.
void clip_rows_generic(epoch_state& st, i32f32 penalty, bool scale_by_stake) {
  const bool clip_only = penalty == i32f32::one();
  fixed_vector& ranks = st.incentive;
  ranks.assign(st.n, i32f32{});
  csr& w = st.weights;
  std::size_t out = 0;
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
      const bool dropped = c < x && c == i32f32{};
      const i32f32 v = dropped ? i32f32{} : std::min(c, x);
      if (!dropped) {
        trust = trust + v;
        ranks[j] = ranks[j] + stake * v;
      }
      i32f32 y = x;
      if (clip_only) {
        if (dropped) continue;
        y = v;
      } else if (penalty != i32f32{}) {
        y = x + penalty * (v - x);
        if (!(y > i32f32{})) continue;
      }
      if (scale_by_stake) {
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
}

fixed_vector& to_fixed(const std::vector<std::uint64_t>& from, fixed_vector& to) {
  to.resize(from.size());
  for (std::size_t j = 0; j < from.size(); ++j) to[j] = i32f32::from_raw(static_cast<std::int64_t>(from[j]));
  return to;
}

}  // namespace

namespace {

// Row i's kept weights, normalized, written from `at` on; returns the end. `voted` counts the
// non-zero ones per column when the row votes (null when not). `kept` says whether an entry
// survives §2.4's masks.
template <class Kept>
std::size_t write_row(const u16_row& row, Kept kept, std::uint16_t* uid, i32f32* value, std::size_t at,
                      std::uint32_t* voted) {
  // Two reads of the stored row (u16 pairs) instead of writing the integers and dividing them
  // in place: the sum first, then the normalized weights, each written whether kept or not
  // (kept ones advance the end: no branch to mispredict).
  std::uint64_t total = 0;
  for (const u16_entry& e : row) total += kept(e) ? e.value : 0;
  const row_normalizer normalized(total);
  if (voted == nullptr) {
    for (const u16_entry& e : row) {
      uid[at] = e.uid;
      value[at] = normalized(e.value);
      at += kept(e);
    }
    return at;
  }
  for (const u16_entry& e : row) {
    uid[at] = e.uid;
    value[at] = normalized(e.value);
    const bool keep = kept(e);
    if (keep) voted[e.uid] += e.value != 0;  // uids past n are never kept
    at += keep;
  }
  return at;
}

// write_row for row i with §2.4 steps 2-5's masks. When every uid registered before the row's
// limit (the usual case: weights set since the last registration), the registration test is
// the same for every entry and is left out.
std::size_t write_row(const epoch_input& in, std::size_t i, std::size_t n, std::uint64_t latest_registration,
                      std::uint16_t* uid, i32f32* value, std::size_t at, std::uint32_t* voted) {
  const std::uint64_t limit = registration_limit(in, i);
  // Only the owner may weight itself ("burn"): for the owner no uid is masked as its own.
  const std::uint32_t self = in.owner_uid == i ? 0x10000u : static_cast<std::uint32_t>(i);
  const u16_row& row = in.weights[i];
  if (latest_registration < limit) {  // kept are the uids below n but self
    // The kernel for rows of a vector or more; shorter ones (most at n = 256) take less here.
    if (row.size() >= 8)
      return at + dense::kernels().weight_row(row.data(), row.size(), static_cast<std::uint32_t>(n), self, uid + at,
                                              reinterpret_cast<std::uint64_t*>(value + at), voted);
    auto kept = [&](const u16_entry& e) { return e.uid < n && e.uid != self; };
    return write_row(row, kept, uid, value, at, voted);
  }
  auto kept = [&](const u16_entry& e) { return e.uid < n && in.registered_at[e.uid] < limit && e.uid != self; };
  return write_row(row, kept, uid, value, at, voted);
}

}  // namespace

void compute_weights(const epoch_input& in, epoch_state& st) {
  std::size_t entries = 0;
  for (std::uint32_t i : st.permitted) entries += in.weights[i].size();  // rows of uids without a permit are ignored
  csr& w = st.weights;
  // Written through pointers; what the last epoch left there is overwritten. The starts are
  // resized, not cleared and regrown: the loop sets every start, and the regrowth zeroed 8
  // bytes per uid each epoch. With stakes that are proportions, clip_rows sets every start
  // again, and until then only permitted rows are read (the medians' voters hold permits):
  // the rows between are left as they are, not filled (8 bytes per uid).
  w.size_for(st.n, entries + dense::weight_row_slack);
  // Non-zero weights per column from the rows that vote in the consensus (stake > 0), counted
  // here while the row is at hand rather than in another pass over W (column_medians).
  std::vector<std::uint32_t>& voted = st.median_counts;
  voted.assign(st.n + 1, 0);
  const std::uint64_t latest = st.latest_registration;  // found by compute_stake's pass
  const bool fill_between = !st.proportions;
  std::size_t at = 0, next = 0;  // rows below next have their end
  st.weight_rows.clear();
  for (std::uint32_t i : st.permitted) {
    if (fill_between) std::fill(w.start.begin() + next + 1, w.start.begin() + i + 1, at);  // the rows between are empty
    w.start[i] = at;
    const bool votes = st.active_stake[i] > i32f32{};
    const std::size_t b = at;
    at = write_row(in, i, st.n, latest, w.uid.data(), w.value.data(), at, votes ? voted.data() : nullptr);
    if (!st.weights_ascending[i]) w.sort_row(b, at);  // stored out of order (never, on chain)
    if (at != b) st.weight_rows.push_back(i);
    w.start[i + 1] = at;
    next = i + 1;
  }
  if (fill_between) std::fill(w.start.begin() + next + 1, w.start.end(), at);
}

void compute_consensus(const epoch_input& in, epoch_state& st) {
  // The last epoch's W~ * A sums, when the ranks gave them, are 0 outside the columns its
  // medians gathered: those alone are cleared, before the medians replace the list, rather
  // than all n (8 bytes per uid). Nothing else writes either in between, dense epochs included.
  const bool bought_clear = st.bought_in_gathered && st.bought_sums.size() == st.n;
  if (bought_clear)
    for (std::uint32_t j : st.median.gathered) st.bought_sums[j] = i32f32{};
  const i32f32 kappa = i32f32::from_u16_proportion(in.params.kappa);
  const i32f32 penalty = i32f32::from_u16_proportion(in.params.bonds_penalty);
  const bool scale_by_stake = !in.params.yuma3;
  st.trust.resize(st.n);
  st.bought_in_gathered = false;
  // With every stake a proportion, the medians sum the ranks from their gathered columns,
  // where each column's scores are at hand, rather than the clip pass adding into a column per
  // entry; else (no ranks given) the saturating pass below does. Clipping only (the default
  // penalty), the bought sums are the ranks (see clip_row): summed straight into bought_sums'
  // raws (int64 members, which their unsigned type may access), not copied there afterwards.
  const bool ranks_bought = st.proportions && scale_by_stake && penalty == i32f32::one();
  std::span<std::uint64_t> ranks;
  if (ranks_bought) {
    if (!bought_clear) st.bought_sums.assign(st.n, i32f32{});
    ranks = {reinterpret_cast<std::uint64_t*>(st.bought_sums.data()), st.n};
  } else if (st.proportions) {
    st.ranks_listed.clear(st.ranks_scratch, st.n, st.epochs);
    ranks = st.ranks_scratch;
  }
  st.consensus_listed.clear(st.consensus, st.n, st.epochs);
  const bool ranked = column_medians(st.active_stake, st.weights, st.n, kappa, st.median_counts, st.median,
                                     st.consensus, &st.staked, ranks.data());
  st.consensus_listed.mark(st.median.gathered, st.epochs);  // C is 0 outside them
  if (st.proportions && !ranks_bought) st.ranks_listed.mark(st.median.gathered, st.epochs);  // and so are the ranks
  if (ranked) {
    // One pass: clip to C, trust, and W~ = W + penalty * (clipped - W), kept where > 0 (for
    // Yuma 2 times the row's stake, with column sums unless they are the ranks).
    std::vector<std::uint64_t>& bought = st.bought_scratch;
    bought.assign(scale_by_stake && !ranks_bought ? st.n : 0, 0);
    if (scale_by_stake)
      clip_rows<true>(st, penalty, bought.data());
    else
      clip_rows<false>(st, penalty, bought.data());
    if (!ranks_bought) to_fixed(bought, st.bought_sums);
    st.bought_in_gathered = ranks_bought;  // ranks are 0 but where C is above 0
    // Ranks are column sums of products of proportions, 0 but where C is above 0 (in the
    // columns the medians gathered).
    st.incentive_listed.clear(st.incentive, st.n, st.epochs);
    normalize(ranks, st.median.gathered, st.incentive);
    st.incentive_listed.mark(st.median.gathered, st.epochs);
    std::swap(st.bond_weights, st.weights);  // W is not read again; its memory serves the next epoch
    return;
  }
  // One pass with the saturating operators: clip to C, trust, ranks, and W~ as above.
  clip_rows_generic(st, penalty, scale_by_stake);
  normalize(st.incentive);
  std::swap(st.bond_weights, st.weights);
}

}  // namespace synod::consensus::detail
