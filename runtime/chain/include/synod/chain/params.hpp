#pragma once
/// Chain parameters fixed at genesis (later: changed by governance).

#include <cstdint>

#include "synod/base/amount.hpp"

namespace synod::chain {

struct chain_params {
  /// Fee of a signed call = fee_base + fee_per_byte * envelope size. Fees are *recycled*:
  /// taken from the signer and from total issuance, so future emission re-mints them (as
  /// subtensor recycles registration burns). No account receives them.
  rao fee_base = 100'000;        // 0.0001 TAO
  rao fee_per_byte = 100;        // 0.0000001 TAO a byte
  std::uint32_t max_tx_bytes = 4096;
  std::uint32_t max_block_txs = 20'000;
  /// Target block interval; the chain path never reads a clock, producers use it for slots.
  std::uint32_t block_time_ms = 1000;
  friend bool operator==(const chain_params&, const chain_params&) = default;
};

}  // namespace synod::chain
