#include "synod/chain/records.hpp"

#include "fb_convert.hpp"
#include "record_io.hpp"
#include "synod/schemas/state_generated.h"

namespace synod::chain {
namespace {

using detail::from_fb;
using detail::read_record;
using detail::to_fb;
using detail::write_record;

bytes tagged(key_tag tag, std::initializer_list<const public_key*> keys) {
  bytes out;
  out.reserve(1 + 32 * keys.size());
  out.push_back(static_cast<std::uint8_t>(tag));
  for (const auto* k : keys) out.insert(out.end(), k->data.begin(), k->data.end());
  return out;
}

}  // namespace

bytes account_key(const public_key& who) { return tagged(key_tag::account, {&who}); }
bytes hotkey_key(const public_key& hotkey) { return tagged(key_tag::hotkey, {&hotkey}); }
bytes stake_key(const public_key& hotkey, const public_key& coldkey) {
  return tagged(key_tag::stake, {&hotkey, &coldkey});
}
bytes totals_key() { return tagged(key_tag::totals, {}); }

account get_account(const state_view& s, const public_key& who) {
  auto r = read_record<fb::AccountRecord>(s, account_key(who));
  if (!r) return {};
  return {r->balance(), r->nonce()};
}

void put_account(overlay& s, const public_key& who, const account& a) {
  if (a.balance == 0 && a.nonce == 0) return s.erase(account_key(who));
  write_record(s, account_key(who), fb::AccountRecord(a.balance, a.nonce));
}

std::optional<public_key> hotkey_owner(const state_view& s, const public_key& hotkey) {
  auto r = read_record<fb::HotkeyRecord>(s, hotkey_key(hotkey));
  if (!r) return std::nullopt;
  return from_fb<32>(r->owner());
}

void put_hotkey_owner(overlay& s, const public_key& hotkey, const public_key& owner) {
  write_record(s, hotkey_key(hotkey), fb::HotkeyRecord(to_fb(owner)));
}

rao get_stake(const state_view& s, const public_key& hotkey, const public_key& coldkey) {
  auto r = read_record<fb::StakeRecord>(s, stake_key(hotkey, coldkey));
  return r ? r->amount() : 0;
}

void put_stake(overlay& s, const public_key& hotkey, const public_key& coldkey, rao amount) {
  if (amount == 0) return s.erase(stake_key(hotkey, coldkey));
  write_record(s, stake_key(hotkey, coldkey), fb::StakeRecord(amount));
}

totals get_totals(const state_view& s) {
  auto r = read_record<fb::TotalsRecord>(s, totals_key());
  if (!r) return {};
  return {r->issuance(), r->pending_emission(), r->total_stake(), r->burned(), r->locked()};
}

void put_totals(overlay& s, const totals& t) {
  write_record(s, totals_key(),
               fb::TotalsRecord(t.issuance, t.pending_emission, t.total_stake, t.burned, t.locked));
}

}  // namespace synod::chain
