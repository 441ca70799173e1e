#pragma once
// The epoch's steps in the order subtensor runs them (subtensor-economics.md §2), sharing one
// working state. Internal to the component; run_epoch in epoch.cpp strings them together.

#include <algorithm>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "synod/consensus/epoch.hpp"
#include "csr.hpp"
#include "vector_math.hpp"

namespace synod::consensus::detail {

/// Yuma 2's per-column divisors of the bond EMA's two inputs (then of its sum and maximum).
struct merge_divisors {
  share_divider fresh, old;
};

/// Yuma 2's per-column sum and maximum of the bond EMA, side by side: the merge updates both.
struct ema_column {
  std::uint64_t sum = 0, max = 0;
};

/// One row's liquid-alpha entries whose rate needs an exponential: its argument (then the
/// rate), where the entry went, and its W~ and old bond. The dense path uses `todo` alone.
struct liquid_row {
  fixed_vector todo;
  std::vector<std::uint32_t> todo_at;
  std::vector<std::uint64_t> weight, bond;
};

/// The dense path's working memory (epoch_dense.cpp): one 32-bit value per (dense row, uid),
/// which holds W, then the bond EMA, and per-column arrays.
struct dense_scratch {
  std::vector<std::uint32_t> matrix;       // rows.size() x n
  std::vector<std::uint32_t> rows;         // the uids whose rows it holds, ascending
  std::vector<u16_entry> masked;           // a weight row with its registration mask applied
  std::vector<u16_entry> spread;           // a short weight row spread over every uid
  std::vector<std::uint32_t> top;          // per column: the largest score of a voter
  std::vector<std::uint32_t> consensus;    // per column: C
  std::vector<std::uint32_t> column_max;   // per column: the EMA's largest entry
  std::vector<std::uint32_t> old_rows;     // a group's old bonds by uid, and rows of zeros
  std::vector<std::uint64_t> old_sums, ranks, bought, ema_sums;
  std::vector<std::uint64_t> div_hi, div_lo, div2_hi, div2_lo;  // share_divider words per column
  std::vector<std::uint32_t> block;        // the median's block of columns, row after row
  std::vector<std::uint32_t> listed;       // Yuma 3: per group row, the entries due an exponential
  std::vector<char> named;                 // Yuma 3: the uids a short weight row names
};

/// A row check_input left to a later pass (see epoch.cpp's check_rows).
constexpr char unchecked = 2;

/// Where a per-uid vector may hold values other than 0, as the epoch that wrote it last left
/// it (that epoch's count, 0 for unknown): the next epoch clears those entries rather than all
/// n (8 bytes per uid each, on a sparse subnet where few are written).
struct listed_zeros {
  std::vector<std::uint32_t> uids;
  std::uint64_t at = 0;
  /// Sets `v` to n zeros for epoch `epoch`: the listed entries alone when the epoch before
  /// marked it, else all. Until mark() it counts as written anywhere.
  template <class T>
  void clear(std::vector<T>& v, std::size_t n, std::uint64_t epoch) {
    if (at != 0 && at + 1 == epoch && v.size() == n) {
      for (std::uint32_t i : uids) v[i] = T{};
    } else {
      v.assign(n, T{});
    }
    at = 0;
  }
  /// `v` is 0 but at `listed` (no later step of this epoch writes it).
  void mark(std::span<const std::uint32_t> listed, std::uint64_t epoch) {
    uids.assign(listed.begin(), listed.end());
    at = epoch;
  }
};

struct epoch_state {
  std::size_t n = 0;
  fixed_vector stake;  // S: normalized, stake-threshold filtered; 0 outside `staked`, between epochs too
  // Flags per uid as bytes: std::vector<bool>'s indexing costs a division and a shift per
  // access, and the steps read these in every per-uid and per-row loop.
  std::vector<char> inactive;
  std::vector<char> permit_old;  // with the owner forced in
  std::vector<std::uint32_t> permitted;  // the uids of permit_old, ascending
  std::size_t owner = 0;  // the owner's uid, or n when none is below n
  std::vector<char> permit_new;
  fixed_vector active_stake;  // A; 0 outside `staked`, between epochs too
  std::vector<std::uint32_t> staked;  // the uids whose S may be non-zero, ascending
  std::vector<char> bond_kept;  // per uid: registered before last_tempo (§2.7), its bonds kept
  bool all_bonds_kept = true;
  std::uint64_t latest_registration = 0;  // the largest registered_at
  csr weights;                // W: masked, row-normalized (read through start: scratch entries
                              // may follow start[n], here and in bond_weights)
  std::vector<std::uint32_t> weight_rows;  // the rows of W with entries, ascending (W~'s are among them)
  fixed_vector consensus;     // C
  fixed_vector trust;         // validator trust
  fixed_vector incentive;     // I
  csr bond_weights;           // W~ (bonds penalty applied to W clipped to C); Yuma 2: W~ * A
  fixed_vector bought_sums;   // Yuma 2: column sums of W~ * A
  fixed_vector dividends;     // D
  std::vector<std::uint32_t> earning;  // the uids whose I or D is not 0, ascending (assemble_output)
  std::vector<std::uint64_t> output_uids;  // a bit per uid whose outputs may be other than 0 (assemble_output)
  // Yuma 2's fast bonds and Yuma 3's fixed-rate EMA: the rows merged, ascending (the others are empty)
  std::vector<std::uint32_t> ema_rows;
  csr new_bonds;              // what is stored for rows that hold a new permit (read through start:
                              // the fast paths leave scratch entries past start[n]; Yuma 2's sets
                              // the starts of st.ema_rows' rows alone, and writes out.bonds itself)...
  fixed_vector bond_scale;    // ...each entry divided by its column's, when non-empty
  std::vector<std::uint64_t> ranks_scratch, bought_scratch;  // column sums as plain integers
  std::vector<std::uint64_t> share_words;  // per column a proportion_divider's 3 words (Yuma 3 dividends)
  fixed_vector column_sums;                // per column (Yuma 3 bonds)
  std::vector<std::uint32_t> sum_columns;  // Yuma 3 bonds: the columns whose sum is above 0
  std::vector<merge_divisors> merge_columns;  // per column (Yuma 2 bonds)
  std::vector<std::uint64_t> old_bond_sums;   // Yuma 2 fast bonds: per column, 0 outside...
  std::vector<std::uint32_t> old_bond_columns;  // ...these, between epochs too
  bool bought_in_gathered = false;  // bought_sums is 0 outside median.gathered (compute_consensus)
  std::vector<std::uint32_t> bond_columns;    // Yuma 2 bonds: the columns with a divisor above 0
  std::vector<ema_column> ema_columns;        // per column (Yuma 2 bonds); all zero between uses
                                              // when ema_columns_clear (share_rows resets them)
  bool ema_columns_clear = false;
  // Per input row (check_input): 1 when its uids strictly ascend, 0 when not, or unchecked.
  std::vector<char> weights_ascending, bonds_ascending;
  std::size_t deferred_weight_rows = 0;  // weight rows left unchecked (check_input)
  std::vector<std::uint32_t> bond_rows;  // the input's non-empty bond rows, ascending (check_input)
  std::vector<std::uint32_t> median_counts;  // per column: non-zero weights of voting rows
  median_scratch median;
  dense_scratch dense;
  liquid_row liquid;  // one row's liquid-alpha scratch (Yuma 3)
  bool proportions = false;  // active stakes in [0, 1]: the integer fast paths apply (compute_stake)
  bool bonds_written = false;  // the output rows of new permit holders are written already
  // The dense path ran (dense_epoch): the steps' lists of uids that may hold an output (the
  // medians' columns, W's rows) are not this epoch's, and every uid is visited.
  bool dense_outputs = false;
  std::uint64_t epochs = 0;  // run_epoch calls so far, this one included
  // Where the compressed-row steps left C, I, Yuma 3's ranks (the medians' columns) and trust
  // (W's rows); D (the bond rows they merged) and Yuma 3's column sums (liquid alpha's columns).
  listed_zeros consensus_listed, incentive_listed, ranks_listed, trust_listed, dividends_listed, sums_listed;
};

/// §2.4 steps 2-5 for row i, hoisted out of the entry loop: the weight i -> j survives when j
/// registered before this block and, unless i owns the subnet, j != i (epoch_weights.cpp).
std::uint64_t registration_limit(const epoch_input& in, std::size_t i);
/// Whether the uids of [first, last) strictly ascend (how storage keeps rows), without an early
/// exit so that the compiler compares many pairs at once: the dense kernels' `ascending`,
/// compiled for each instruction set, for rows of a vector or more (epoch.cpp).
bool strictly_ascending(const u16_entry* first, const u16_entry* last) noexcept;

/// §2.2-2.3: S, activity, old and new permits, A; and, from the same passes over the uids, what
/// the later steps visit or mask (the staked and permitted uids, the latest registration,
/// §2.7's kept bond columns) and whether every A is a proportion.
void compute_stake(const epoch_input& in, epoch_state& st);
/// §2.4: W from storage with every mask, row-normalized.
void compute_weights(const epoch_input& in, epoch_state& st);
/// §2.5-2.7: C, clipped weights, trust, I, W~.
void compute_consensus(const epoch_input& in, epoch_state& st);
/// yuma2 bonds with plain integers (epoch_bonds_fast.cpp) when every value is a proportion, D
/// and the stored rows of new permit holders written into out.bonds (st.bonds_written); false,
/// having changed nothing it stores, when not. alpha is the EMA rate.
bool yuma2_bonds_fast(const epoch_input& in, epoch_state& st, i32f32 alpha, epoch_output& out);
/// 1 - bonds_moving_average / 1e6 as the chain computes it: Yuma 2's EMA rate.
i32f32 bonds_ema_rate(std::uint64_t bma);
/// §2.4-2.10 when every validator row of W is dense (epoch_dense.cpp): what compute_weights,
/// compute_consensus and compute_bonds give, bit for bit, in passes over a plain matrix. False
/// when the input is not of that shape; the state it changed is then recomputed by those steps.
bool dense_epoch(const epoch_input& in, epoch_state& st, epoch_output& out);
/// For tests: run the "base", "avx2" or "avx512" kernels (the dense path's, and the
/// compressed-row steps' row passes) from now on (false, and
/// no change, when this CPU lacks them), or the "best" this CPU has (the default). Every set
/// gives the same results.
bool use_dense_kernels(std::string_view isa);
/// §2.7 last_tempo mask, then §2.8 (Yuma 2) or §2.9-2.10 (Yuma 3): D and the new bonds, either
/// in st.new_bonds or (st.bonds_written) as output rows already.
void compute_bonds(const epoch_input& in, epoch_state& st, epoch_output& out);
/// The stored bonds as the epoch reads them, straight from storage rather than a converted
/// copy: entries to uids >= n or to uids registered since the previous epoch (§2.7 last_tempo)
/// are skipped, values are raw integers (Yuma 2) or /65535 (Yuma 3).
class old_bonds {
 public:
  /// Reads st.n, st.bonds_ascending, st.bond_rows and st.bond_kept (compute_stake).
  old_bonds(const epoch_input& in, const epoch_state& st);
  /// Row i ascending by uid, skipped entries included (see kept); a row stored out of order is
  /// sorted into a scratch copy, valid until the next call. Inline for the usual case: the
  /// merges call it for every row.
  std::span<const u16_entry> row(std::size_t i) {
    if (ascending_[i]) return in_.bonds[i];  // how storage keeps them
    return sorted_row(i);
  }
  [[nodiscard]] bool kept(std::uint16_t uid) const noexcept { return uid < kept_.size() && kept_[uid]; }
  /// Whether every uid below n is kept (none registered since the previous epoch).
  [[nodiscard]] bool all_kept() const noexcept { return all_kept_; }
  /// Whether row i is stored ascending by uid (as storage keeps them).
  [[nodiscard]] bool ascending(std::size_t i) const noexcept { return ascending_[i] != 0; }
  /// The rows that hold entries (skipped ones or not), ascending.
  [[nodiscard]] std::span<const std::uint32_t> nonempty_rows() const noexcept { return nonempty_; }
  /// Entries stored, skipped ones included: a bound for reserving.
  [[nodiscard]] std::size_t entries() const noexcept { return entries_; }
  [[nodiscard]] i32f32 value(std::uint16_t v) const noexcept {
    if (!yuma3_) return i32f32::from_int(v);
    return i32f32::from_raw(static_cast<std::int64_t>(yuma3_bond(v)));
  }
  /// A stored Yuma 3 bond's raw value, from_u16_proportion without a division: floor(v * 2^32
  /// / 65535), and 2^32 / 65535 = 65537 + 1/65535, so the floor is 65537 v plus 1 exactly when
  /// v = 65535 (bond_value_test checks every v).
  static std::uint64_t yuma3_bond(std::uint32_t v) noexcept { return 65537 * std::uint64_t{v} + (v == 65535); }

 private:
  std::span<const u16_entry> sorted_row(std::size_t i);

  const epoch_input& in_;
  const std::vector<char>& ascending_;
  const std::vector<char>& kept_;
  bool all_kept_ = true;
  bool yuma3_;
  std::vector<u16_entry> scratch_;
  std::span<const std::uint32_t> nonempty_;
  std::size_t entries_ = 0;
};

/// §2.10, the liquid-alpha EMA rate from the value of its exponential (liquid_params::rates).
inline i32f32 liquid_alpha_rate(i32f32 exp_value, i32f32 low, i32f32 high) noexcept {
  const i32f32 sigmoid = one_over(i32f32::one() + exp_value);
  return std::max(std::min(low + sigmoid * (high - low), high), low);  // low wins if low > high
}

/// §2.10, the liquid-alpha EMA rate of one (validator, miner) entry: its clamped difference
/// (buying, a weight at or above the bond, reacts to the lead over consensus, clamp(weight -
/// consensus, 0, 1); selling to the drop, clamp(bond - weight, 0, 1)), then exp_safe of
/// slope * (difference - 1/2) with slope = steepness / -100, then the sigmoid between the
/// bounds. `rates` takes many entries' differences, so that their exponentials run together.
struct liquid_params {
  i32f32 low, high, slope;

  explicit liquid_params(const epoch_input& in)
      : low(i32f32::from_u16_proportion(in.params.alpha_low)),
        high(i32f32::from_u16_proportion(in.params.alpha_high)),
        slope(safe_div(i32f32::from_int(in.params.alpha_sigmoid_steepness), i32f32::from_int(-100))) {}

  /// Each difference in `diffs` (in [0, 1]) replaced by its rate, the exponentials in one batch.
  void rates(std::span<i32f32> diffs) const {
    const i32f32 half = i32f32::from_raw(std::int64_t{1} << 31);
    for (i32f32& x : diffs) x = slope * (x - half);
    exp_safe_all(diffs);
    for (i32f32& x : diffs) x = liquid_alpha_rate(x, low, high);
  }
};

/// §2.11-2.12: emissions and the stored outputs.
/// Every field of `out` is overwritten, its memory reused.
void assemble_output(const epoch_input& in, epoch_state& st, epoch_output& out);

}  // namespace synod::consensus::detail
