#include "synod/chain/genesis.hpp"

#include <algorithm>
#include <set>

#include "synod/chain/errc.hpp"
#include "synod/chain/records.hpp"
#include "synod/crypto/hash.hpp"

namespace synod::chain {
namespace {

error bad(std::string msg) { return error(errc::bad_genesis, std::move(msg)); }

status check_params(const chain_params& p) {
  if (p.max_tx_bytes < 256 || p.max_tx_bytes > (1u << 20))
    return bad("max_tx_bytes must be between 256 and 1048576");
  if (p.max_block_txs == 0 || p.max_block_txs > 1'000'000)
    return bad("max_block_txs must be between 1 and 1000000");
  if (p.block_time_ms < 10 || p.block_time_ms > 600'000)
    return bad("block_time_ms must be between 10 and 600000");
  if (p.fee_base > max_supply || p.fee_per_byte > max_supply / p.max_tx_bytes)
    return bad("fees are larger than the whole supply");
  return ok();
}

}  // namespace

status check_genesis(const genesis& g) {
  if (g.chain_name.empty() || g.chain_name.size() > 64)
    return bad("chain name must be 1 to 64 characters");
  if (g.authorities.empty()) return bad("at least one authority is needed");
  std::set<crypto::public_key> seen(g.authorities.begin(), g.authorities.end());
  if (seen.size() != g.authorities.size()) return bad("an authority is listed twice");
  std::set<crypto::public_key> holders;
  rao total = 0;
  for (const auto& [who, amount] : g.balances) {
    if (!holders.insert(who).second) return bad("balance for " + who.hex() + " is listed twice");
    if (amount > max_supply - total) return bad("balances add up to more than 21,000,000 TAO");
    total += amount;
  }
  return check_params(g.params);
}

hash32 chain_id(const genesis& g) {
  crypto::hasher h;
  h.update(as_bytes("synod-genesis-v1"));
  h.update_u64_le(g.chain_name.size()).update(as_bytes(g.chain_name));
  const auto& p = g.params;
  for (std::uint64_t v : {p.fee_base, p.fee_per_byte, std::uint64_t{p.max_tx_bytes},
                          std::uint64_t{p.max_block_txs}, std::uint64_t{p.block_time_ms}})
    h.update_u64_le(v);
  auto balances = g.balances;
  std::sort(balances.begin(), balances.end());
  h.update_u64_le(balances.size());
  for (const auto& [who, amount] : balances) h.update(who.view()).update_u64_le(amount);
  h.update_u64_le(g.authorities.size());
  for (const auto& a : g.authorities) h.update(a.view());
  return h.finish();
}

void write_genesis_state(overlay& s, const genesis& g) {
  totals t = get_totals(s);
  for (const auto& [who, amount] : g.balances) {
    put_account(s, who, account{amount, 0});
    t.issuance += amount;
  }
  put_totals(s, t);
}

}  // namespace synod::chain
