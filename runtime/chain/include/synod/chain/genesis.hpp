#pragma once
/// Genesis: the parsed content of a genesis file, its chain id, and the state it starts.

#include <string>
#include <utility>
#include <vector>

#include "synod/base/amount.hpp"
#include "synod/base/result.hpp"
#include "synod/chain/params.hpp"
#include "synod/chain/state.hpp"
#include "synod/crypto/keys.hpp"

namespace synod::chain {

struct genesis {
  std::string chain_name;
  chain_params params;
  std::vector<std::pair<crypto::public_key, rao>> balances;
  /// Block producers, in slot order: slot s belongs to authorities[s % size].
  std::vector<crypto::public_key> authorities;
};

/// Rejects a genesis that cannot start a sound chain: empty name, no authority, a repeated
/// authority or balance key, balances over the 21 M TAO cap, parameters out of range.
/// Errors: errc::bad_genesis naming the problem.
status check_genesis(const genesis& g);

/// blake2b-256 of a canonical binary encoding of the parsed genesis (never of file text):
/// a tag, the name, every parameter, balances sorted by key, authorities in order.
/// Precondition: check_genesis(g) passed.
hash32 chain_id(const genesis& g);

/// Writes the genesis balances and totals (issuance = sum of balances) into `s`.
void write_genesis_state(overlay& s, const genesis& g);

}  // namespace synod::chain
