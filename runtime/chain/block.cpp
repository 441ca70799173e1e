#include "synod/chain/block.hpp"

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
  SYNOD_TRY(check_header(ctx, parent, block, txs));
  overlay s(parent_state);
  block_outcome out;
  out.receipts.reserve(txs.size());
  for (std::size_t i = 0; i < txs.size(); ++i) {
    auto r = apply_tx(s, txs[i], ctx.params, block.header.height);
    if (!r) return std::move(r).error().with_context("transaction " + std::to_string(i));
    out.receipts.push_back(std::move(*r));
  }
  out.minted = end_block(s, block.header.height, ctx.params);
  out.digest = s.digest();
  if (out.digest != block.header.state_digest)
    return error(errc::digest_mismatch, "block " + std::to_string(block.header.height) +
                                            " claims digest " + block.header.state_digest.hex() +
                                            ", applying it gives " + out.digest.hex());
  out.diff = s.diff();
  return out;
}

built_block build_block(const state_view& parent_state, const chain_context& ctx,
                        const parent_info& parent, std::uint64_t slot,
                        const crypto::keypair& author, std::span<const bytes> envelopes,
                        std::span<const decoded_tx> candidates) {
  overlay s(parent_state);
  built_block out;
  std::vector<bytes> included;
  std::vector<hash32> ids;
  for (std::size_t i = 0; i < candidates.size() && included.size() < ctx.params.max_block_txs; ++i) {
    auto r = apply_tx(s, candidates[i], ctx.params, parent.height + 1);
    if (!r) {
      out.dropped.emplace_back(candidates[i].id, std::move(r).error());
      continue;
    }
    included.push_back(envelopes[i]);
    ids.push_back(candidates[i].id);
    out.outcome.receipts.push_back(std::move(*r));
  }
  out.outcome.minted = end_block(s, parent.height + 1, ctx.params);
  out.outcome.digest = s.digest();
  out.outcome.diff = s.diff();
  out.header = {parent.height + 1, parent.hash, slot, author.public_key(), tx_root(ids),
                out.outcome.digest, static_cast<std::uint32_t>(ids.size())};
  out.raw = encode_block(out.header, included, author);
  out.hash = block_hash(out.header);
  return out;
}

}  // namespace synod::chain
