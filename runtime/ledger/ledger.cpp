#include "synod/ledger/ledger.hpp"

#include "synod/chain/errc.hpp"
#include "synod/store/errc.hpp"

namespace synod::ledger {

std::size_t shard_of(const crypto::public_key& key, std::size_t shards) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | key.data[i];
  return static_cast<std::size_t>(v % shards);
}

std::vector<status> check_serially(std::span<const chain::decoded_tx> txs, const hash32& chain_id) {
  std::vector<status> out;
  out.reserve(txs.size());
  for (const auto& t : txs) out.push_back(chain::check_signatures(t, chain_id));
  return out;
}

result<std::unique_ptr<ledger>> ledger::open(const store::options& opts, const chain::genesis& g) {
  SYNOD_TRY(chain::check_genesis(g));
  auto ctx = chain::chain_context::from(g);
  auto db = store::database::open(opts, ctx.chain_id);
  if (!db) return std::move(db).error();
  if ((*db)->empty()) {
    chain::memory_state empty;
    chain::overlay genesis_state(empty);
    chain::write_genesis_state(genesis_state, g);
    SYNOD_TRY((*db)->commit_genesis(genesis_state.diff(), genesis_state.digest()));
  } else {
    // Refuse to build on a state that does not match its recorded digest (O(state): the
    // price of knowing a restart after a crash resumes from an intact state).
    auto recomputed = (*db)->recompute_digest();
    if (!recomputed) return std::move(recomputed).error();
    auto head = (*db)->head();
    if (*recomputed != head.digest)
      return error(store::errc::corrupt, opts.dir.string() + ": state digest " + recomputed->hex() +
                                             " does not match head " + std::to_string(head.height) +
                                             "'s " + head.digest.hex());
  }
  return std::unique_ptr<ledger>(new ledger(std::move(*db), std::move(ctx)));
}

chain::parent_info ledger::parent() const {
  auto h = db_->head();
  return {h.height, h.hash, h.slot};
}

result<chain::built_block> ledger::produce(std::uint64_t slot, const crypto::keypair& author,
                                           std::span<const bytes> envelopes,
                                           std::span<const chain::decoded_tx> candidates) {
  auto state = db_->state();
  auto built = chain::build_block(*state, ctx_, parent(), slot, author, envelopes, candidates);
  SYNOD_TRY(db_->commit_block(built.header, built.hash, built.raw, built.outcome));
  return built;
}

std::vector<std::shared_ptr<const chain::slice_outcome>> ledger::complete(
    const chain::state_view& state, std::span<const chain::decoded_tx> txs, std::uint64_t height,
    chain::slice_mode mode, const applied_slices& slices) const {
  std::vector<std::shared_ptr<const chain::slice_outcome>> out(slices.plan.size());
  const auto digest = state.digest();
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto& given = i < slices.outcomes.size() ? slices.outcomes[i] : nullptr;
    if (given && given->base_digest == digest)
      out[i] = given;
    else
      out[i] = std::make_shared<chain::slice_outcome>(
          chain::apply_slice(state, ctx_, txs, slices.plan[i], height, mode));
  }
  return out;
}

namespace {

std::vector<const chain::slice_outcome*> pointers(
    const std::vector<std::shared_ptr<const chain::slice_outcome>>& outcomes) {
  std::vector<const chain::slice_outcome*> out;
  out.reserve(outcomes.size());
  for (const auto& o : outcomes) out.push_back(o.get());
  return out;
}

}  // namespace

result<chain::built_block> ledger::produce(std::uint64_t slot, const crypto::keypair& author,
                                           std::span<const bytes> envelopes,
                                           std::span<const chain::decoded_tx> candidates,
                                           const applied_slices& slices) {
  auto state = db_->state();
  auto p = parent();
  auto outcomes = complete(*state, candidates, p.height + 1, chain::slice_mode::build, slices);
  auto built = chain::build_block(*state, ctx_, p, slot, author, envelopes, candidates, pointers(outcomes));
  if (!built) return built;
  SYNOD_TRY(db_->commit_block(built->header, built->hash, built->raw, built->outcome));
  return built;
}

result<chain::block_outcome> ledger::import(byte_view raw, const chain::decoded_block& block,
                                            std::span<const chain::decoded_tx> txs,
                                            const applied_slices& slices) {
  auto state = db_->state();
  auto outcomes = complete(*state, txs, block.header.height, chain::slice_mode::import, slices);
  auto outcome = chain::apply_block(*state, ctx_, parent(), block, txs, pointers(outcomes));
  if (!outcome) return outcome;
  SYNOD_TRY(db_->commit_block(block.header, block.hash, raw, *outcome));
  return outcome;
}

result<chain::block_outcome> ledger::import(byte_view raw, const signature_checker& check) {
  auto block = chain::decode_block(raw, ctx_.params);
  if (!block) return std::move(block).error();
  std::vector<chain::decoded_tx> txs;
  txs.reserve(block->txs.size());
  for (std::size_t i = 0; i < block->txs.size(); ++i) {
    auto tx = chain::decode_tx(block->txs[i], ctx_.chain_id, ctx_.params);
    if (!tx) return std::move(tx).error().with_context("transaction " + std::to_string(i));
    txs.push_back(std::move(*tx));
  }
  auto checks = check(txs, ctx_.chain_id);
  for (std::size_t i = 0; i < checks.size(); ++i)
    if (!checks[i]) return std::move(checks[i]).error().with_context("transaction " + std::to_string(i));
  auto state = db_->state();
  auto outcome = chain::apply_block(*state, ctx_, parent(), *block, txs);
  if (!outcome) return outcome;
  SYNOD_TRY(db_->commit_block(block->header, block->hash, raw, *outcome));
  return outcome;
}

}  // namespace synod::ledger
