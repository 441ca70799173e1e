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

}  // namespace synod::chain
