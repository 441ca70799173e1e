#pragma once
/// Block emission with supply-triggered halvings, exactly as subtensor computes it
/// (subtensor-economics.md §4.2, `get_block_emission_for_issuance`, I96F32 arithmetic):
///   k = floor(log2(1 / (1 - I / 21e15))),  emission = floor(1e9 / 2^k),  0 once I >= 21e15.
/// Halvings happen at issuance 10.5 M, 15.75 M, 18.375 M TAO, ... (21 M * (1 - 2^-k)).
/// Synod additionally clamps the result so issuance never passes the 21 M cap.

#include "synod/base/amount.hpp"

namespace synod::chain {

/// Rao minted by the next block when total issuance is `issuance`.
rao block_emission(rao issuance) noexcept;

/// One block's subnet emission split as subtensor's emit_to_subnets does (section 4.4),
/// U96F32 with every product floored:
///   owner_cut = out * cut/65535, r = out - owner_cut,
///   root_prop = root_tao*w / (root_tao*w + alpha_issuance), w = tao_weight / (2^64 - 1),
///   root = root_prop * r * 0.5, server = r * 0.5, validator = r - server - root,
/// each floored to an integer at the end; `root` goes to root dividends when `root_sell`,
/// else it is recycled. Synod's chain has no root stake inside subnets (root_tao 0), so there
/// the split is owner cut, then halves to miners and validators.
struct coinbase_split {
  rao owner_cut = 0;
  rao server = 0;
  rao validator = 0;
  rao root_dividends = 0;
  rao recycled_root = 0;
  friend bool operator==(const coinbase_split&, const coinbase_split&) = default;
};

coinbase_split split_subnet_emission(rao out, std::uint16_t owner_cut, rao root_tao,
                                     std::uint64_t tao_weight, rao alpha_issuance,
                                     bool root_sell) noexcept;

}  // namespace synod::chain
