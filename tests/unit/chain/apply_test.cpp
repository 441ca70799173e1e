#include "synod/chain/apply.hpp"

#include "chain_fixture.hpp"

namespace synod::chain::testing {
namespace {

using ApplyTx = ChainFixture;

constexpr rao tao = rao_per_tao;

TEST_F(ApplyTx, TransferMovesFundsAndChargesARecycledFee) {
  auto env = sign(alice, 0, transfer_call{bob.public_key(), 3 * tao});
  rao fee = tx_fee(ctx.params, static_cast<std::uint32_t>(env.size()));
  auto issuance = get_totals(state).issuance;
  auto r = apply(env);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(r->failure);
  EXPECT_EQ(r->fee, fee);
  EXPECT_EQ(get_account(state, alice.public_key()), (account{997 * tao - fee, 1}));
  EXPECT_EQ(get_account(state, bob.public_key()).balance, 13 * tao);
  EXPECT_EQ(get_totals(state).issuance, issuance - fee);
  expect_supply_invariant(state);
}

TEST_F(ApplyTx, OverspendFailsWithAReceiptAndOnlyTheFeeIsCharged) {
  auto env = sign(bob, 0, transfer_call{alice.public_key(), 10 * tao});  // all of it, no fee left
  rao fee = tx_fee(ctx.params, static_cast<std::uint32_t>(env.size()));
  auto r = apply(env);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->failure);
  EXPECT_TRUE(r->failure->is(errc::insufficient_balance)) << r->failure->to_string();
  EXPECT_EQ(get_account(state, bob.public_key()), (account{10 * tao - fee, 1}));
  EXPECT_EQ(get_account(state, alice.public_key()), (account{1000 * tao, 0}));
  expect_supply_invariant(state);
}

TEST_F(ApplyTx, ReplayedAndSkippedNoncesChangeNothing) {
  ASSERT_TRUE(apply(sign(alice, 0, transfer_call{bob.public_key(), tao})));
  auto before = state.digest();
  auto replay = apply(sign(alice, 0, transfer_call{bob.public_key(), tao}));
  ASSERT_FALSE(replay);
  EXPECT_TRUE(replay.error().is(errc::nonce_too_low));
  EXPECT_EQ(replay.error().message(), "nonce 0 already used, next is 1");
  auto skip = apply(sign(alice, 5, transfer_call{bob.public_key(), tao}));
  ASSERT_FALSE(skip);
  EXPECT_TRUE(skip.error().is(errc::nonce_too_high));
  EXPECT_EQ(skip.error().message(), "nonce 5 skips ahead, next is 1");
  EXPECT_EQ(state.digest(), before);
}

TEST_F(ApplyTx, CannotPayFeeIsInvalid) {
  auto pauper = key(9);
  auto before = state.digest();
  auto r = apply(sign(pauper, 0, transfer_call{bob.public_key(), 1}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::cannot_pay_fee)) << r.error().to_string();
  EXPECT_EQ(state.digest(), before);
}

TEST_F(ApplyTx, AmountThatOverflowsIsInvalid) {
  auto before = state.digest();
  auto r = apply(sign(alice, 0, transfer_call{bob.public_key(), UINT64_MAX}));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(errc::amount_overflow));
  EXPECT_EQ(state.digest(), before);
}

TEST_F(ApplyTx, ZeroAmountFails) {
  auto r = apply(sign(alice, 0, transfer_call{bob.public_key(), 0}));
  ASSERT_TRUE(r && r->failure);
  EXPECT_TRUE(r->failure->is(errc::zero_amount));
}

TEST_F(ApplyTx, StakeNeedsARegisteredHotkey) {
  auto r = apply(sign(alice, 0, add_stake_call{hot.public_key(), tao}));
  ASSERT_TRUE(r && r->failure);
  EXPECT_TRUE(r->failure->is(errc::hotkey_not_registered));
  EXPECT_EQ(get_totals(state).total_stake, 0u);
}

TEST_F(ApplyTx, RegisterStakeAndUnstake) {
  ASSERT_FALSE(apply(sign(alice, 0, registration(alice, hot)))->failure);
  EXPECT_EQ(hotkey_owner(state, hot.public_key()), alice.public_key());
  auto again = apply(sign(bob, 0, registration(bob, hot)));
  ASSERT_TRUE(again && again->failure);
  EXPECT_TRUE(again->failure->is(errc::hotkey_registered));

  ASSERT_FALSE(apply(sign(alice, 1, add_stake_call{hot.public_key(), 100 * tao}))->failure);
  EXPECT_EQ(get_stake(state, hot.public_key(), alice.public_key()), 100 * tao);
  EXPECT_EQ(get_totals(state).total_stake, 100 * tao);
  expect_supply_invariant(state);

  auto too_much = apply(sign(alice, 2, remove_stake_call{hot.public_key(), 101 * tao}));
  ASSERT_TRUE(too_much && too_much->failure);
  EXPECT_TRUE(too_much->failure->is(errc::insufficient_stake));

  // Bob has no stake on the hotkey, even though Alice does.
  auto not_his = apply(sign(bob, 1, remove_stake_call{hot.public_key(), tao}));
  ASSERT_TRUE(not_his && not_his->failure);
  EXPECT_TRUE(not_his->failure->is(errc::insufficient_stake));

  ASSERT_FALSE(apply(sign(alice, 3, remove_stake_call{hot.public_key(), 100 * tao}))->failure);
  EXPECT_EQ(get_stake(state, hot.public_key(), alice.public_key()), 0u);
  EXPECT_EQ(get_totals(state).total_stake, 0u);
  expect_supply_invariant(state);
}

TEST_F(ApplyTx, MintingFillsThePendingPool) {
  overlay o(state);
  EXPECT_EQ(mint_block_emission(o), tao);
  state.apply(o.diff());
  EXPECT_EQ(get_totals(state).pending_emission, tao);
  expect_supply_invariant(state);
}

}  // namespace
}  // namespace synod::chain::testing
