#pragma once
/// Sparse rows: the shape weights and bonds have in storage and inside the epoch.
/// Row i of a matrix lists (column uid, value) pairs; a missing column means 0. Explicit zero
/// entries are meaningful (subtensor keeps them, and the sparse masks and EMAs see them).

#include <cstdint>
#include <vector>

#include "synod/consensus/fixed.hpp"

namespace synod::consensus {

/// One stored weight or bond: target uid and a u16 value (65535 = 1.0 or the row maximum).
struct u16_entry {
  std::uint16_t uid = 0;
  std::uint16_t value = 0;
  friend bool operator==(const u16_entry&, const u16_entry&) = default;
};
using u16_row = std::vector<u16_entry>;

/// One entry of a fixed-point matrix inside the epoch.
struct fixed_entry {
  std::uint16_t uid = 0;
  i32f32 value;
};
using fixed_row = std::vector<fixed_entry>;
using fixed_matrix = std::vector<fixed_row>;

}  // namespace synod::consensus
