#pragma once
// Set-up for the subnet call tests: funded keys, a subnet owned by Alice, helpers that sign
// with the next nonce and check that a failed call changed nothing but its fee and nonce.

#include "chain_fixture.hpp"
#include "synod/chain/subnet_rules.hpp"

namespace synod::chain::testing {

constexpr rao tao = rao_per_tao;

class SubnetFixture : public ChainFixture {
 public:
  SubnetFixture() {
    for (const auto* k : {&alice, &bob, &owner_hk, &val_hk, &miner_hk, &miner2_hk, &carol})
      fund(k->public_key(), 100'000 * tao);
    overlay o(state);
    auto net = get_network(o);
    net.min_lock_cost = 100 * tao;
    put_network(o, net);
    state.apply(o.diff());
  }

  void fund(const public_key& who, rao amount) {
    overlay o(state);
    auto a = get_account(o, who);
    a.balance += amount;
    put_account(o, who, a);
    auto t = get_totals(o);
    t.issuance += amount;
    put_totals(o, t);
    state.apply(o.diff());
  }

  /// Applies `c` signed by `who` with its next nonce, in block `height`.
  result<receipt> submit(const crypto::keypair& who, const call& c) {
    overlay o(state);
    auto r = apply_tx(o, decode(sign(who, get_account(state, who.public_key()).nonce, c)),
                      ctx.params, height);
    if (r) state.apply(o.diff());
    return r;
  }

  void expect_ok(const crypto::keypair& who, const call& c) {
    auto r = submit(who, c);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_FALSE(r->failure) << call_name(c) << ": " << r->failure->to_string();
  }

  /// The call fails with `code`; only the signer's account and the totals' issuance (the fee)
  /// changed; a fee-free neuron call is refused whole instead. Returns the reason's message.
  std::string expect_fail(const crypto::keypair& who, const call& c, errc code) {
    auto before = state.entries();
    auto totals_before = get_totals(state);
    auto r = submit(who, c);
    if (fee_free(c)) {  // refused whole: invalid, not included, nothing at all changed
      EXPECT_FALSE(r) << call_name(c) << " passed";
      if (r) return {};
      EXPECT_TRUE(r.error().is(code)) << r.error().to_string();
      EXPECT_EQ(state.entries(), before) << call_name(c) << " changed state while refused";
      return r.error().message();
    }
    EXPECT_TRUE(r) << r.error().to_string();
    if (!r) return {};
    EXPECT_TRUE(r->failure) << call_name(c) << " passed";
    if (!r->failure) return {};
    EXPECT_TRUE(r->failure->is(code)) << r->failure->to_string();
    auto after = state.entries();
    before.erase(account_key(who.public_key()));
    after.erase(account_key(who.public_key()));
    before.erase(totals_key());
    after.erase(totals_key());
    EXPECT_EQ(before, after) << call_name(c) << " changed state while failing";
    auto t = get_totals(state);
    totals_before.issuance -= r->fee;
    EXPECT_EQ(t, totals_before);
    return r->failure->message();
  }

  /// Alice registers owner_hk and a subnet with it; returns its netuid.
  netuid_t make_subnet() {
    expect_ok(alice, registration(alice, owner_hk));
    expect_ok(alice, register_subnet_call{owner_hk.public_key()});
    return static_cast<netuid_t>(get_network(state).subnet_count);
  }

  /// Bob registers `hk` and burns its way into `netuid`; returns the uid.
  uid_t join(netuid_t netuid, const crypto::keypair& hk) {
    if (!hotkey_owner(state, hk.public_key())) expect_ok(bob, registration(bob, hk));
    expect_ok(bob, burned_register_call{netuid, hk.public_key()});
    return get_uid(state, netuid, hk.public_key()).value_or(65535);
  }

  void set_hp(netuid_t netuid, hyperparam id, std::uint64_t value) {
    expect_ok(alice, set_subnet_hyperparams_call{netuid, {{id, value}}});
  }

  /// Edits a subnet or neuron record directly, as an epoch would.
  template <class F>
  void edit(F&& f) {
    overlay o(state);
    f(o);
    state.apply(o.diff());
  }

  std::uint64_t height = 1;  ///< the block submit() puts its transaction in
  crypto::keypair owner_hk = key(10), val_hk = key(11), miner_hk = key(12), miner2_hk = key(13),
                  carol = key(14);
};

}  // namespace synod::chain::testing
