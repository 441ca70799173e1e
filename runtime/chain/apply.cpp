#include "synod/chain/apply.hpp"

#include "synod/chain/emission.hpp"
#include "synod/chain/errc.hpp"
#include "synod/chain/subnet_epoch.hpp"
#include "subnet_calls.hpp"

namespace synod::chain {
namespace {

std::string tao(rao amount) { return format_tao(amount) + " TAO"; }

using detail::debit;
using detail::run;

// Each call runs on an overlay over the fee-charged state; on failure it is dropped whole.
status run(overlay& s, const public_key& signer, std::uint64_t, const transfer_call& c) {
  if (c.amount == 0) return error(errc::zero_amount, "transfer of 0 rao");
  SYNOD_TRY(debit(s, signer, c.amount, "transfer"));
  auto to = get_account(s, c.dest);
  to.balance += c.amount;  // cannot overflow: every balance is below the 21 M TAO supply
  put_account(s, c.dest, to);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t, const add_stake_call& c) {
  if (c.amount == 0) return error(errc::zero_amount, "stake of 0 rao");
  if (!hotkey_owner(s, c.hotkey))
    return error(errc::hotkey_not_registered, "hotkey " + c.hotkey.hex() + " is not registered");
  SYNOD_TRY(debit(s, signer, c.amount, "stake"));
  credit_stake(s, c.hotkey, signer, c.amount);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t, const remove_stake_call& c) {
  if (c.amount == 0) return error(errc::zero_amount, "unstake of 0 rao");
  rao staked = get_stake(s, c.hotkey, signer);
  if (staked < c.amount)
    return error(errc::insufficient_stake, "unstake of " + tao(c.amount) + " but the stake on " +
                                               c.hotkey.hex() + " is " + tao(staked));
  debit_stake(s, c.hotkey, signer, c.amount);
  auto from = get_account(s, signer);
  from.balance += c.amount;
  put_account(s, signer, from);
  return ok();
}

status run(overlay& s, const public_key& signer, std::uint64_t, const register_hotkey_call& c) {
  if (auto owner = hotkey_owner(s, c.hotkey))
    return error(errc::hotkey_registered,
                 "hotkey " + c.hotkey.hex() + " is already owned by " + owner->hex());
  put_hotkey_owner(s, c.hotkey, signer);
  return ok();
}

// The amount a call moves out of the free balance, for the overflow check.
rao spend_of(const call& c) {
  if (auto* t = std::get_if<transfer_call>(&c)) return t->amount;
  if (auto* t = std::get_if<add_stake_call>(&c)) return t->amount;
  return 0;
}

}  // namespace

status detail::debit(overlay& s, const public_key& who, rao amount, std::string_view what) {
  auto a = get_account(s, who);
  if (a.balance < amount)
    return error(errc::insufficient_balance, std::string(what) + " of " + tao(amount) +
                                                 " but the balance is " + tao(a.balance));
  a.balance -= amount;
  put_account(s, who, a);
  return ok();
}

rao tx_fee(const chain_params& p, std::uint32_t size) noexcept {
  return p.fee_base + p.fee_per_byte * size;
}

bool fee_free(const call& c) noexcept {
  return std::holds_alternative<set_weights_call>(c) || std::holds_alternative<commit_weights_call>(c) ||
         std::holds_alternative<reveal_weights_call>(c) || std::holds_alternative<serve_call>(c);
}

result<receipt> apply_tx(overlay& s, const decoded_tx& tx, const chain_params& p,
                         std::uint64_t height) {
  auto acct = get_account(s, tx.signer);
  if (tx.nonce < acct.nonce)
    return error(errc::nonce_too_low, "nonce " + std::to_string(tx.nonce) +
                                          " already used, next is " + std::to_string(acct.nonce));
  if (tx.nonce > acct.nonce)
    return error(errc::nonce_too_high, "nonce " + std::to_string(tx.nonce) +
                                           " skips ahead, next is " + std::to_string(acct.nonce));
  auto run_call = [&](overlay& on) {
    return std::visit([&](const auto& c) { return run(on, tx.signer, height, c); }, tx.call);
  };
  if (fee_free(tx.call)) {
    auto call_state = overlay::over(s);
    SYNOD_TRY(run_call(call_state));
    s.merge(call_state);
    auto signer = get_account(s, tx.signer);
    signer.nonce += 1;
    put_account(s, tx.signer, signer);
    return receipt{tx.id, 0, std::nullopt};
  }

  rao fee = tx_fee(p, tx.size);
  if (!checked_add(fee, spend_of(tx.call)))
    return error(errc::amount_overflow, "amount plus fee does not fit in u64 rao");
  if (acct.balance < fee)
    return error(errc::cannot_pay_fee, "fee is " + tao(fee) + " but the balance is " + tao(acct.balance));

  // Charge the fee (recycled: it leaves issuance) and use the nonce, whatever the call does.
  acct.balance -= fee;
  acct.nonce += 1;
  put_account(s, tx.signer, acct);
  auto t = get_totals(s);
  t.issuance -= fee;
  put_totals(s, t);

  receipt r{tx.id, fee, std::nullopt};
  auto call_state = overlay::over(s);
  auto outcome = run_call(call_state);
  if (outcome)
    s.merge(call_state);
  else
    r.failure = std::move(outcome).error();
  return r;
}

rao mint_block_emission(overlay& s) {
  auto t = get_totals(s);
  rao minted = block_emission(t.issuance);
  t.issuance += minted;
  t.pending_emission += minted;
  put_totals(s, t);
  return minted;
}

rao end_block(overlay& s, std::uint64_t height, const chain_params&) {
  rao minted = mint_block_emission(s);
  subnets_end_block(s, height);
  return minted;
}

}  // namespace synod::chain
