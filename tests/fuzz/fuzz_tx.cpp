// fuzz_tx: one untrusted transaction envelope against chain_world. decode_tx and
// check_signatures (decode_and_check), then apply_tx on an overlay over the world's state.
//
// apply_tx runs whatever check_signatures said. The rules never read the signature, and a
// fuzzer cannot forge ed25519: gating on it would leave apply_tx to the unmutated seeds.

#include <cstring>

#include "chain_world.hpp"
#include "harness.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/records.hpp"
#include "synod/schemas/state_generated.h"

namespace synod::fuzz {
namespace {

using chain::errc;

template <class Record>
Record read_record(const bytes& value) {
  SYNOD_FUZZ_CHECK(value.size() == sizeof(Record));
  Record r;
  std::memcpy(static_cast<void*>(&r), value.data(), sizeof r);
  return r;
}

// Adds `v` to `total`; false when the sum overflows u64, itself a broken supply.
bool accumulate(rao& total, rao v) {
  auto sum = checked_add(total, v);
  if (sum) total = *sum;
  return sum.has_value();
}

// Balances + stakes + pending emission + burned == issuance <= the cap, and the stakes add
// up to total_stake: a rule that mints or loses rao breaks one of them.
bool supply_holds(const chain::memory_state& s) {
  rao held = 0, staked = 0;
  for (const auto& [key, value] : s.entries()) {
    SYNOD_FUZZ_CHECK(!key.empty());
    bool fits = true;
    if (key[0] == static_cast<std::uint8_t>(chain::key_tag::account))
      fits = accumulate(held, read_record<fb::AccountRecord>(value).balance());
    if (key[0] == static_cast<std::uint8_t>(chain::key_tag::stake))
      fits = accumulate(staked, read_record<fb::StakeRecord>(value).amount());
    if (!fits) return false;
  }
  auto t = chain::get_totals(s);
  rao all = held;
  bool fits = accumulate(all, staked) && accumulate(all, t.pending_emission) &&
              accumulate(all, t.burned) && accumulate(all, t.locked);
  return fits && staked == t.total_stake && all == t.issuance && t.issuance <= max_supply;
}

// A failed call pays its fee and uses its nonce; nothing else is written.
bool only_fee_written(const chain::state_diff& diff, const crypto::public_key& signer) {
  for (const auto& [key, value] : diff)
    if (key != chain::account_key(signer) && key != chain::totals_key()) return false;
  return true;
}

void check_rejection(const chain_world& w, const chain::overlay& o, const chain::decoded_tx& tx,
                     const error& e) {
  // A fee-free neuron call's own rejection makes it invalid too.
  SYNOD_FUZZ_CHECK(is_one_of(e, {errc::nonce_too_low, errc::nonce_too_high,
                                 errc::amount_overflow, errc::cannot_pay_fee}) ||
                   (chain::fee_free(tx.call) && e.is(static_cast<errc>(e.code())) &&
                    chain::is_failure(static_cast<errc>(e.code()))));
  SYNOD_FUZZ_CHECK(o.diff().empty() && o.digest() == w.state.digest());
}

void check_receipt(const chain_world& w, const chain::overlay& o, const chain::decoded_tx& tx,
                   const chain::receipt& r) {
  auto before = chain::get_account(w.state, tx.signer);
  auto after = chain::get_account(o, tx.signer);
  SYNOD_FUZZ_CHECK(r.tx_id == tx.id &&
                   r.fee == (chain::fee_free(tx.call) ? 0 : chain::tx_fee(w.ctx.params, tx.size)));
  SYNOD_FUZZ_CHECK(after.nonce == before.nonce + 1);
  if (r.failure) {
    auto code = static_cast<errc>(r.failure->code());
    SYNOD_FUZZ_CHECK(r.failure->is(code) && chain::is_failure(code));
    SYNOD_FUZZ_CHECK(after.balance == before.balance - r.fee);
    SYNOD_FUZZ_CHECK(only_fee_written(o.diff(), tx.signer));
  }
  auto next = w.state;
  next.apply(o.diff());
  SYNOD_FUZZ_CHECK(next.digest() == o.digest());
  SYNOD_FUZZ_CHECK(supply_holds(next));
}

}  // namespace
}  // namespace synod::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  const auto& world = synod::fuzz::chain_world::get();
  synod::fuzz::run_seed_mode(*argc, *argv, [&] { return world.sample_txs(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synod::fuzz;
  const auto& w = chain_world::get();
  auto tx = decode_and_check(w, synod::byte_view(data, size));
  if (!tx) return 0;
  synod::chain::overlay o(w.state);
  auto r = synod::chain::apply_tx(o, *tx, w.ctx.params, /*height=*/1);
  if (r)
    check_receipt(w, o, *tx, *r);
  else
    check_rejection(w, o, *tx, r.error());
  return 0;
}
