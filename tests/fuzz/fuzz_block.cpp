// fuzz_block: one untrusted block buffer, as a peer sends it. decode_block, then every
// transaction it carries goes through the checks fuzz_tx makes on a lone envelope
// (decode_and_check). The header's signature is not forged, so apply_block is left out: it
// would reject every mutated block at that check.

#include <cstdint>

#include "chain_world.hpp"
#include "harness.hpp"
#include "synod/chain/errc.hpp"

namespace synod::fuzz {
namespace {

// decoded_block's views must point into the buffer they were decoded from.
bool inside(byte_view part, byte_view whole) {
  auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  auto at = reinterpret_cast<std::uintptr_t>(part.data());
  return at >= begin && at - begin <= whole.size() && part.size() <= whole.size() - (at - begin);
}

}  // namespace
}  // namespace synod::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  const auto& world = synod::fuzz::chain_world::get();
  synod::fuzz::run_seed_mode(*argc, *argv, [&] { return world.sample_blocks(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synod::fuzz;
  const auto& w = chain_world::get();
  synod::byte_view raw(data, size);
  auto block = synod::chain::decode_block(raw, w.ctx.params);
  if (!block) {
    SYNOD_FUZZ_CHECK(block.error().is(synod::chain::errc::malformed));
    return 0;
  }
  SYNOD_FUZZ_CHECK(block->txs.size() <= w.ctx.params.max_block_txs);
  for (auto envelope : block->txs) {
    SYNOD_FUZZ_CHECK(inside(envelope, raw));
    (void)decode_and_check(w, envelope);
  }
  return 0;
}
