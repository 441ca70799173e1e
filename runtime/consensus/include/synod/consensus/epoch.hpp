#pragma once
/// The Yuma consensus epoch of one subnet as a pure function (subtensor `epoch_mechanism`, the
/// sparse path; subtensor-economics.md §2). Inputs are what the chain reads at the epoch's block;
/// outputs are what it stores. Integers and fixed point only: the same inputs give the same
/// bytes on every machine. Cost grows with n plus the number of weight and bond entries.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "synod/base/result.hpp"
#include "synod/consensus/fixed.hpp"
#include "synod/consensus/sparse.hpp"

namespace synod::consensus {
namespace detail {
struct epoch_state;
}  // namespace detail

/// Per-subnet hyperparameters the epoch reads (names and defaults of subtensor's storage, §3).
struct yuma_params {
  std::uint64_t tempo = 360;
  std::uint16_t kappa = 32767;                   ///< consensus majority, /65535
  std::uint64_t bonds_moving_average = 900'000;  ///< per million; EMA rate 1 - this
  std::uint16_t bonds_penalty = 65535;           ///< /65535; 1.0 = bonds use clipped weights
  bool yuma3 = false;                            ///< Yuma 3 bonds (§2.9) instead of §2.8
  bool liquid_alpha = false;                     ///< per-entry bond rate; Yuma 3 only
  std::uint16_t alpha_low = 45875;               ///< liquid alpha bounds, /65535
  std::uint16_t alpha_high = 58982;
  std::int16_t alpha_sigmoid_steepness = 1000;
  std::uint16_t max_allowed_validators = 128;
  std::uint64_t activity_cutoff = 5000;  ///< blocks; see activity_cutoff_blocks
  std::uint64_t stake_threshold = 0;     ///< min stake kept in the epoch (floor)
};

/// max(1, floor(factor_milli * tempo / 1000)): the activity cutoff in blocks (§2.1).
std::uint64_t activity_cutoff_blocks(std::uint64_t factor_milli, std::uint64_t tempo) noexcept;

/// Everything the epoch reads. Vectors are indexed by uid and have length n.
struct epoch_input {
  std::uint64_t block = 0;                      ///< the block the epoch runs at
  std::uint64_t last_mechanism_step_block = 0;  ///< last distributed epoch's block; 0 if none
  std::vector<i64f64> stake;                    ///< total stake per uid (alpha + weighted TAO)
  std::vector<std::uint64_t> registered_at;     ///< BlockAtRegistration
  std::vector<std::uint64_t> last_update;       ///< LastUpdate
  std::vector<bool> validator_permit;           ///< permits from the previous epoch
  std::vector<u16_row> weights;                 ///< stored (max-upscaled) weights, row = setter
  std::vector<u16_row> bonds;                   ///< stored bonds (scale depends on yuma3)
  std::optional<std::uint16_t> owner_uid;       ///< the subnet owner's uid, if registered
  /// Commit-reveal mask (§2.4 step 5): empty when commit-reveal is off; else per uid the block
  /// of its earliest unexpired commit, if any. Weights from i to j are dropped when that block
  /// is before j's registration.
  std::vector<std::optional<std::uint64_t>> first_commit_block;
  yuma_params params;
  std::uint64_t emission = 0;  ///< rao distributed by this epoch
};

/// Everything the epoch stores. u16 values are proportions floored to 65535 = 1.0.
struct epoch_output {
  std::vector<std::uint16_t> consensus, incentive, dividends, validator_trust, stake_weight;
  std::vector<bool> active, validator_permit;
  std::vector<std::uint64_t> server_emission, validator_emission, emission;  ///< rao
  /// The full bonds storage after the epoch: rows of new permit holders replaced, rows of uids
  /// that lost their permit cleared, other rows as given (§2.12).
  std::vector<u16_row> bonds;
};

/// Scratch memory for run_epoch, kept from one call to the next so that a caller running many
/// epochs (the chain, subnet after subnet; the bench) does not have the kernel fault in and clear
/// fresh pages for every epoch's working matrices: at 67M weights that is over a gigabyte each
/// time. It carries no results: any input may follow any other, and the outputs are the same
/// with a fresh workspace or a used one. Owned by the caller; one epoch at a time per workspace
/// (not thread-safe). Holds as much memory as the largest epoch run with it needed.
class epoch_workspace {
 public:
  epoch_workspace();
  ~epoch_workspace();
  epoch_workspace(epoch_workspace&&) noexcept;
  epoch_workspace& operator=(epoch_workspace&&) noexcept;

 private:
  friend status run_epoch(const epoch_input& in, epoch_workspace& ws, epoch_output& out);
  std::unique_ptr<detail::epoch_state> state_;
};

/// Runs one epoch into `out`, reusing the memory its vectors (bonds rows included) hold from an
/// earlier epoch: a caller running epoch after epoch allocates nothing once the sizes settle.
/// Every field of `out` is overwritten; on an error its contents are unspecified. Errors as
/// below.
status run_epoch(const epoch_input& in, epoch_workspace& ws, epoch_output& out);
/// Runs one epoch. Errors: errc::bad_input when a vector's length is not n (taken from stake),
/// when first_commit_block is neither empty nor of length n, or when a weight or bond row names
/// a uid twice. Entries whose uid is >= n are ignored, as on chain.
result<epoch_output> run_epoch(const epoch_input& in, epoch_workspace& ws);
/// The same with a workspace of its own, freed on return.
result<epoch_output> run_epoch(const epoch_input& in);

}  // namespace synod::consensus
