#include "synod/chain/block.hpp"

#include <algorithm>
#include <numeric>

#include "fb_convert.hpp"
#include "synod/chain/errc.hpp"
#include "synod/crypto/hash.hpp"
#include "synod/schemas/block_generated.h"

namespace synod::chain {
namespace {

using detail::from_fb;
using detail::to_fb;

bytes encode_header(const block_header& h) {
  flatbuffers::FlatBufferBuilder b(256);
  auto parent = to_fb(h.parent);
  auto author = to_fb(h.author);
  auto root = to_fb(h.tx_root);
  auto digest = to_fb(h.state_digest);
  b.Finish(fb::CreateBlockHeader(b, h.height, &parent, h.slot, &author, &root, &digest, h.tx_count));
  return bytes(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

error bad_block(std::string msg) { return error(errc::bad_block, std::move(msg)); }

status check_header(const chain_context& ctx, const parent_info& parent, const decoded_block& b,
                    std::span<const decoded_tx> txs) {
  const auto& h = b.header;
  if (h.height != parent.height + 1)
    return bad_block("height " + std::to_string(h.height) + " does not follow " +
                     std::to_string(parent.height));
  if (h.parent != parent.hash) return bad_block("parent hash is not the current head");
  if (h.slot <= parent.slot)
    return bad_block("slot " + std::to_string(h.slot) + " is not after the parent's slot " +
                     std::to_string(parent.slot));
  if (h.author != ctx.author_of(h.slot))
    return bad_block("author " + h.author.hex() + " does not own slot " + std::to_string(h.slot));
  if (!crypto::verify(h.author, b.hash.view(), b.sig)) return bad_block("block signature does not verify");
  if (h.tx_count != b.txs.size() || txs.size() != b.txs.size())
    return bad_block("tx_count says " + std::to_string(h.tx_count) + ", block carries " +
                     std::to_string(b.txs.size()));
  std::vector<hash32> ids;
  ids.reserve(txs.size());
  for (const auto& t : txs) ids.push_back(t.id);
  if (tx_root(ids) != h.tx_root) return bad_block("tx_root does not match the transactions");
  return ok();
}

// The first failure of an import in block order: any bad signature before any invalid call.
std::optional<std::pair<std::uint32_t, error>> first_failure(std::span<const slice_outcome* const> slices) {
  for (auto which : {&slice_outcome::bad_signature, &slice_outcome::invalid}) {
    const std::pair<std::uint32_t, error>* first = nullptr;
    for (const auto* sl : slices)
      if (const auto& f = sl->*which; f && (!first || f->first < first->first)) first = &*f;
    if (first) return *first;
  }
  return std::nullopt;
}

struct merged_slices {
  std::vector<receipt> receipts;       // block order
  std::vector<std::uint32_t> included;  // their indexes
};

// Adds slices applied over `parent_state` (which `s` overlays, still unwritten) to `s`: their
// disjoint writes and digest deltas, and the sum of their totals deltas.
result<merged_slices> merge_slices(overlay& s, const state_view& parent_state, std::size_t n,
                                   std::span<const slice_outcome* const> slices) {
  enum : std::uint8_t { unseen, applied, dropped };
  std::vector<std::uint8_t> seen(n, unseen);
  std::vector<const receipt*> by_index(n, nullptr);
  auto mark = [&](std::uint32_t i, std::uint8_t how) {
    if (i >= n || seen[i] != unseen) return false;
    seen[i] = how;
    return true;
  };
  const auto parent_digest = parent_state.digest();
  for (const auto* sl : slices) {
    if (sl->base_digest != parent_digest) return bad_block("a slice was applied over another state");
    if (sl->bad_signature || sl->invalid) return bad_block("a slice stopped at a failure");
    for (const auto& [i, r] : sl->receipts) {
      if (!mark(i, applied)) return bad_block("slices overlap at transaction " + std::to_string(i));
      by_index[i] = &r;
    }
    for (const auto& d : sl->dropped)
      if (!mark(d.first, dropped)) return bad_block("slices overlap at transaction " + std::to_string(d.first));
  }
  if (auto gap = std::find(seen.begin(), seen.end(), unseen); gap != seen.end())
    return bad_block("transaction " + std::to_string(gap - seen.begin()) + " is in no slice");

  for (const auto* sl : slices)
    if (!s.absorb(sl->writes, sl->digest_delta)) return bad_block("slices write the same key");
  auto t = add_deltas(get_totals(parent_state), slices);
  if (!t) return bad_block("slices move a total out of range");
  merged_slices out;
  for (std::uint32_t i = 0; i < n; ++i)
    if (by_index[i]) {
      out.receipts.push_back(*by_index[i]);
      out.included.push_back(i);
    }
  // As serially: any applied transaction writes the totals record (its fee at least).
  if (!out.included.empty()) put_totals(s, *t);
  return out;
}

}  // namespace

chain_context chain_context::from(const genesis& g) {
  return {chain::chain_id(g), g.params, g.authorities};
}

hash32 tx_root(std::span<const hash32> ids) {
  crypto::hasher h;
  h.update(as_bytes("synod/tx_root")).update_u64_le(ids.size());
  for (const auto& id : ids) h.update(id.view());
  return h.finish();
}

hash32 block_hash(const block_header& h) { return crypto::blake2b_256(encode_header(h)); }

bytes encode_block(const block_header& h, std::span<const bytes> txs,
                   const crypto::keypair& author) {
  auto header = encode_header(h);
  auto sig = author.sign(crypto::blake2b_256(header).view());
  flatbuffers::FlatBufferBuilder b(1024);
  std::vector<flatbuffers::Offset<fb::TxBytes>> tx_offsets;
  tx_offsets.reserve(txs.size());
  for (const auto& t : txs) tx_offsets.push_back(fb::CreateTxBytes(b, b.CreateVector(t)));
  auto header_vec = b.CreateVector(header);
  fb::Bytes64 fsig(flatbuffers::span<const std::uint8_t, 64>(sig.data.data(), 64));
  b.Finish(fb::CreateBlock(b, header_vec, &fsig, b.CreateVector(tx_offsets)), fb::BlockIdentifier());
  return bytes(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

result<decoded_block> decode_block(byte_view raw, const chain_params& params) {
  flatbuffers::Verifier::Options opts;
  opts.max_tables = 4 * static_cast<flatbuffers::uoffset_t>(params.max_block_txs) + 16;
  flatbuffers::Verifier v(raw.data(), raw.size(), opts);
  if (!fb::VerifyBlockBuffer(v))
    return error(errc::malformed, "block fails verification (" + std::to_string(raw.size()) + " bytes)");
  const auto* blk = fb::GetBlock(raw.data());
  const auto* hb = blk->header();
  flatbuffers::Verifier hv(hb->data(), hb->size());
  if (!hv.VerifyBuffer<fb::BlockHeader>(nullptr)) return error(errc::malformed, "block header fails verification");
  const auto* h = flatbuffers::GetRoot<fb::BlockHeader>(hb->data());

  decoded_block out;
  out.header = {h->height(), from_fb<32>(*h->parent()), h->slot(), from_fb<32>(*h->author()),
                from_fb<32>(*h->tx_root()), from_fb<32>(*h->state_digest()), h->tx_count()};
  out.hash = crypto::blake2b_256(byte_view(hb->data(), hb->size()));
  out.sig = from_fb<64>(*blk->signature());
  if (const auto* txs = blk->txs()) {
    if (txs->size() > params.max_block_txs)
      return error(errc::malformed, "block carries " + std::to_string(txs->size()) +
                                        " transactions, the limit is " + std::to_string(params.max_block_txs));
    out.txs.reserve(txs->size());
    for (const auto* t : *txs) out.txs.emplace_back(t->bytes()->data(), t->bytes()->size());
  }
  return out;
}

result<block_outcome> apply_block(const state_view& parent_state, const chain_context& ctx,
                                  const parent_info& parent, const decoded_block& block,
                                  std::span<const decoded_tx> txs) {
  std::vector<std::uint32_t> all(txs.size());
  std::iota(all.begin(), all.end(), 0u);
  auto slice = apply_slice(parent_state, ctx, txs, all, block.header.height, slice_mode::import);
  const slice_outcome* one = &slice;
  return apply_block(parent_state, ctx, parent, block, txs, std::span(&one, 1));
}

result<block_outcome> apply_block(const state_view& parent_state, const chain_context& ctx,
                                  const parent_info& parent, const decoded_block& block,
                                  std::span<const decoded_tx> txs,
                                  std::span<const slice_outcome* const> slices) {
  SYNOD_TRY(check_header(ctx, parent, block, txs));
  if (auto f = first_failure(slices))
    return error(f->second).with_context("transaction " + std::to_string(f->first));
  overlay s(parent_state);
  auto merged = merge_slices(s, parent_state, txs.size(), slices);
  if (!merged) return std::move(merged).error();
  block_outcome out;
  out.receipts = std::move(merged->receipts);
  out.minted = end_block(s, block.header.height, ctx.params);
  out.digest = s.digest();
  if (out.digest != block.header.state_digest)
    return error(errc::digest_mismatch, "block " + std::to_string(block.header.height) +
                                            " claims digest " + block.header.state_digest.hex() +
                                            ", applying it gives " + out.digest.hex());
  out.diff = s.take_diff();
  return out;
}

built_block build_block(const state_view& parent_state, const chain_context& ctx,
                        const parent_info& parent, std::uint64_t slot,
                        const crypto::keypair& author, std::span<const bytes> envelopes,
                        std::span<const decoded_tx> candidates) {
  candidates = candidates.first(std::min<std::size_t>(candidates.size(), ctx.params.max_block_txs));
  std::vector<std::uint32_t> all(candidates.size());
  std::iota(all.begin(), all.end(), 0u);
  auto slice = apply_slice(parent_state, ctx, candidates, all, parent.height + 1, slice_mode::build);
  // One slice over this very state always fits.
  const slice_outcome* one = &slice;
  return std::move(*build_block(parent_state, ctx, parent, slot, author, envelopes, candidates,
                                std::span(&one, 1)));
}

result<built_block> build_block(const state_view& parent_state, const chain_context& ctx,
                                const parent_info& parent, std::uint64_t slot,
                                const crypto::keypair& author, std::span<const bytes> envelopes,
                                std::span<const decoded_tx> candidates,
                                std::span<const slice_outcome* const> slices) {
  if (candidates.size() > ctx.params.max_block_txs)
    return bad_block(std::to_string(candidates.size()) + " candidates for a block of at most " +
                     std::to_string(ctx.params.max_block_txs));
  overlay s(parent_state);
  auto merged = merge_slices(s, parent_state, candidates.size(), slices);
  if (!merged) return std::move(merged).error();
  built_block out;
  std::vector<bytes> included;
  std::vector<hash32> ids;
  for (auto i : merged->included) {
    included.push_back(envelopes[i]);
    ids.push_back(candidates[i].id);
  }
  for (const auto* sl : slices)
    for (const auto& [i, e] : sl->dropped) out.dropped.emplace_back(candidates[i].id, e);
  out.outcome.receipts = std::move(merged->receipts);
  out.outcome.minted = end_block(s, parent.height + 1, ctx.params);
  out.outcome.digest = s.digest();
  out.outcome.diff = s.take_diff();
  out.header = {parent.height + 1, parent.hash, slot, author.public_key(), tx_root(ids),
                out.outcome.digest, static_cast<std::uint32_t>(ids.size())};
  out.raw = encode_block(out.header, included, author);
  out.hash = block_hash(out.header);
  return out;
}

}  // namespace synod::chain
