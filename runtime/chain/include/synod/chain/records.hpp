#pragma once
/// Typed records of the state keyspace. Keys: one tag byte, then fixed-size fields:
///   'a' key(32)                 -> AccountRecord   (every key is an account: coldkey or hotkey)
///   'h' hotkey(32)              -> HotkeyRecord    (owner coldkey)
///   's' hotkey(32) coldkey(32)  -> StakeRecord
///   'T'                         -> TotalsRecord
/// and the subnet keyspace of subnet.hpp ('G' 'N' 'n' 'u' 'x' 'w' 'b' 'c' 'd' 'r' 'S' 'L').
/// Values are the raw bytes of the FlatBuffers structs of schemas/state.fbs. An account with
/// nothing in it (balance 0, nonce 0) and a zero stake are deleted, not stored.

#include <optional>

#include "synod/base/amount.hpp"
#include "synod/chain/state.hpp"
#include "synod/crypto/keys.hpp"

namespace synod::chain {

using crypto::public_key;

struct account {
  rao balance = 0;
  std::uint64_t nonce = 0;
  friend bool operator==(const account&, const account&) = default;
};

struct totals {
  rao issuance = 0;          ///< minted and not recycled
  rao pending_emission = 0;  ///< minted, not yet distributed
  rao total_stake = 0;       ///< sum of every stake
  rao burned = 0;            ///< destroyed for good
  rao locked = 0;            ///< held by subnet registration locks
  friend bool operator==(const totals&, const totals&) = default;
};

/// Every key starts with one of these; each tag is used by exactly one record type.
enum class key_tag : std::uint8_t {
  account = 'a',
  hotkey = 'h',
  stake = 's',
  totals = 'T',
  // subnet.hpp
  network = 'G',
  subnet = 'N',
  neuron = 'n',
  uid = 'u',
  axon = 'x',
  weights = 'w',
  bonds = 'b',
  commits = 'c',
  delegate = 'd',
  root_vote = 'r',
  hotkey_stake = 'S',
  last_subnet_registration = 'L',
  // subnet_epoch.hpp
  subnet_pending = 'P',
  stakers = 'D',
  emission_shares = 'E',
  root_voters = 'R',
};

bytes account_key(const public_key& who);
bytes hotkey_key(const public_key& hotkey);
bytes stake_key(const public_key& hotkey, const public_key& coldkey);
bytes totals_key();

account get_account(const state_view& s, const public_key& who);
void put_account(overlay& s, const public_key& who, const account& a);

std::optional<public_key> hotkey_owner(const state_view& s, const public_key& hotkey);
void put_hotkey_owner(overlay& s, const public_key& hotkey, const public_key& owner);

rao get_stake(const state_view& s, const public_key& hotkey, const public_key& coldkey);
void put_stake(overlay& s, const public_key& hotkey, const public_key& coldkey, rao amount);

totals get_totals(const state_view& s);
void put_totals(overlay& s, const totals& t);

}  // namespace synod::chain
