#pragma once
// The epoch's steps in the order subtensor runs them (subtensor-economics.md §2), sharing one
// working state. Internal to the component; run_epoch in epoch.cpp strings them together.

#include <vector>

#include "synod/consensus/epoch.hpp"
#include "csr.hpp"
#include "vector_math.hpp"

namespace synod::consensus::detail {

struct epoch_state {
  std::size_t n = 0;
  fixed_vector stake;  // S: normalized, stake-threshold filtered
  std::vector<bool> inactive;
  std::vector<bool> permit_old;  // with the owner forced in
  std::vector<bool> permit_new;
  fixed_vector active_stake;  // A
  csr weights;                // W: masked, row-normalized
  fixed_vector consensus;     // C
  fixed_vector trust;         // validator trust
  fixed_vector incentive;     // I
  csr bond_weights;           // W~ (bonds penalty applied to W clipped to C)
  fixed_vector dividends;     // D
  csr new_bonds;              // what is stored for rows that hold a new permit...
  fixed_vector bond_scale;    // ...each entry divided by its column's, when non-empty
};

/// §2.2-2.3: S, activity, old and new permits, A.
void compute_stake(const epoch_input& in, epoch_state& st);
/// §2.4: W from storage with every mask, row-normalized.
void compute_weights(const epoch_input& in, epoch_state& st);
/// §2.5-2.7: C, clipped weights, trust, I, W~.
void compute_consensus(const epoch_input& in, epoch_state& st);
/// §2.7 last_tempo mask, then §2.8 (Yuma 2) or §2.9-2.10 (Yuma 3): D and the new bonds.
void compute_bonds(const epoch_input& in, epoch_state& st);
/// The old bonds as fixed point (raw integers for Yuma 2, /65535 for Yuma 3), masked by
/// last_tempo.
csr load_bonds(const epoch_input& in, const epoch_state& st);
/// §2.10: the liquid-alpha EMA rate for one (validator, miner) entry; slope is the
/// steepness / -100 (safe_div), the same for every entry.
i32f32 liquid_alpha_rate(i32f32 consensus, i32f32 weight, i32f32 bond, i32f32 low, i32f32 high,
                         i32f32 slope) noexcept;
/// §2.11-2.12: emissions and the stored outputs.
epoch_output assemble_output(const epoch_input& in, const epoch_state& st);

}  // namespace synod::consensus::detail
