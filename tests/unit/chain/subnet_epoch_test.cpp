// Epochs on chain state and the flow of emission: block emission into subnets (equal shares,
// then root votes), the owner cut, miners' incentive, validators' dividends after the take
// shared with their nominators, the owner's incentive burned, and the supply invariant.

#include "subnet_fixture.hpp"
#include "synod/chain/emission.hpp"
#include "synod/chain/subnet_epoch.hpp"

namespace synod::chain::testing {
namespace {

rao owner_cut_of(rao pending) {
  return split_subnet_emission(pending, subnet_owner_cut, 0, 0, 0, false).owner_cut;
}

class SubnetEpochs : public SubnetFixture {
 public:
  SubnetEpochs() {
    netuid = make_subnet();  // owner_hk is uid 0
    expect_ok(alice, set_subnet_hyperparams_call{netuid, {{hyperparam::commit_reveal, 0},
                                                          {hyperparam::weights_rate_limit, 0},
                                                          {hyperparam::tempo, 10}}});
    val = join(netuid, val_hk);
    miner = join(netuid, miner_hk);
    expect_ok(bob, add_stake_call{val_hk.public_key(), 1000 * tao});
    expect_ok(carol, add_stake_call{val_hk.public_key(), 3000 * tao});  // a nominator
    edit([&](overlay& o) {  // the permit an earlier epoch would have given
      auto n = *get_neuron(o, netuid, val);
      n.validator_permit = true;
      put_neuron(o, netuid, val, n);
    });
  }

  /// Ends the blocks from `height` through `last` (no transactions in them).
  void run_until(std::uint64_t last) {
    for (; height <= last; ++height) {
      overlay o(state);
      end_block(o, height, ctx.params);
      state.apply(o.diff());
      expect_supply_invariant(state);
    }
  }

  rao stake(const crypto::keypair& hk, const crypto::keypair& cold) const {
    return get_stake(state, hk.public_key(), cold.public_key());
  }

  netuid_t netuid = 0;
  uid_t val = 0, miner = 0;
};

TEST_F(SubnetEpochs, BlockEmissionWaitsInTheSubnetUntilItsEpoch) {
  const auto start = get_subnet(state, netuid)->last_epoch_block;
  ASSERT_EQ(start, 0u);  // registered at block 1: netuid 1 mod tempo staggers it one block back
  run_until(9);
  EXPECT_EQ(get_subnet_pending(state, netuid), 9 * tao);
  EXPECT_EQ(get_subnet(state, netuid)->epoch_index, 0u);
  run_until(start + 10);  // tempo 10: the epoch runs at the end of this block
  EXPECT_EQ(get_subnet(state, netuid)->epoch_index, 1u);
  EXPECT_EQ(get_subnet(state, netuid)->last_epoch_block, start + 10);
}

TEST_F(SubnetEpochs, EmissionMintedBeforeAnySubnetReachesTheSubnets) {
  edit([&](overlay& o) {  // as if 5 blocks had been minted before the subnet existed
    auto t = get_totals(o);
    t.issuance += 5 * tao;
    t.pending_emission += 5 * tao;
    put_totals(o, t);
  });
  run_until(1);
  EXPECT_EQ(get_subnet_pending(state, netuid), 6 * tao);
  run_until(2);
  EXPECT_EQ(get_subnet_pending(state, netuid), 7 * tao);
}

TEST_F(SubnetEpochs, PaysOwnerMinerValidatorAndNominatorsExactly) {
  height = 3;
  expect_ok(val_hk, set_weights_call{netuid, {miner}, {65535}, 0});
  const auto start = get_subnet(state, netuid)->last_epoch_block;
  run_until(start + 10);  // first epoch: bonds form
  run_until(start + 19);
  const rao due = get_subnet_pending(state, netuid) + tao;  // with the epoch block's own share
  const rao owner_before = stake(owner_hk, alice), miner_before = stake(miner_hk, bob);
  const rao bob_before = stake(val_hk, bob), carol_before = stake(val_hk, carol);
  const auto burned_before = get_totals(state).burned;
  run_until(start + 20);

  const rao owner_cut = owner_cut_of(due);
  EXPECT_EQ(stake(owner_hk, alice) - owner_before, owner_cut);
  const rao incentive = get_neuron(state, netuid, miner)->emission;
  const rao dividends = get_neuron(state, netuid, val)->emission;
  EXPECT_GT(incentive, 0u);
  EXPECT_GT(dividends, 0u);
  EXPECT_EQ(stake(miner_hk, bob) - miner_before, incentive);
  // Validator: 18% take to its owner (Bob), the rest between Bob and Carol by their stakes.
  const rao take = static_cast<rao>(static_cast<u128>(dividends) * 11'796 / 65535);
  const rao carol_share = static_cast<rao>(static_cast<u128>(dividends - take) * carol_before /
                                           (bob_before + carol_before));
  EXPECT_EQ(stake(val_hk, carol) - carol_before, carol_share);
  EXPECT_EQ(stake(val_hk, bob) - bob_before, dividends - carol_share);
  EXPECT_EQ(get_totals(state).burned, burned_before);
  EXPECT_EQ(get_subnet_pending(state, netuid), due - owner_cut - incentive - dividends);
}

TEST_F(SubnetEpochs, TheOwnersOwnIncentiveIsBurned) {
  height = 3;
  expect_ok(val_hk, set_weights_call{netuid, {0, miner}, {65535, 65535}, 0});
  const auto start = get_subnet(state, netuid)->last_epoch_block;
  run_until(start + 19);
  const auto burned_before = get_totals(state).burned;
  const rao owner_before = stake(owner_hk, alice);
  const rao due = get_subnet_pending(state, netuid) + tao;
  run_until(start + 20);
  const rao owner_incentive = get_neuron(state, netuid, 0)->emission;
  EXPECT_GT(owner_incentive, 0u);
  EXPECT_EQ(get_totals(state).burned - burned_before, owner_incentive);
  EXPECT_EQ(stake(owner_hk, alice) - owner_before,
            owner_cut_of(due));
}

TEST_F(SubnetEpochs, SubnetsShareEquallyUntilRootVotesResolve) {
  const crypto::keypair bob_owner = key(15);
  expect_ok(bob, registration(bob, bob_owner));
  expect_ok(bob, register_subnet_call{bob_owner.public_key()});
  const netuid_t second = static_cast<netuid_t>(get_network(state).subnet_count);
  ASSERT_EQ(second, netuid + 1);
  run_until(40);  // the first subnet's epochs ran at 10, 20, 30, 40; the second's is at 360
  const rao first_before = get_subnet_pending(state, netuid), second_before = get_subnet_pending(state, second);
  run_until(41);
  EXPECT_EQ(get_subnet_pending(state, netuid) - first_before, tao / 2);
  EXPECT_EQ(get_subnet_pending(state, second) - second_before, tao / 2);
  EXPECT_TRUE(get_emission_shares(state).empty());

  // The only staked root voter gives everything to the first subnet.
  expect_ok(val_hk, set_root_weights_call{{netuid, second}, {65535, 0}});
  run_until(root_tempo);  // resolved at the end of this block
  auto shares = get_emission_shares(state);
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0].uid, netuid);
  const rao second_now = get_subnet_pending(state, second);
  run_until(root_tempo + 1);
  EXPECT_EQ(get_subnet_pending(state, second), second_now) << "the second subnet got emission";
}

TEST_F(SubnetEpochs, WithoutIncentiveTheValidatorsGetTheMinersHalfToo) {
  ASSERT_EQ(get_subnet(state, netuid)->last_epoch_block, 0u);
  const rao bob_before = stake(val_hk, bob), carol_before = stake(val_hk, carol);
  run_until(10);
  // No weights: no miner earns incentive, so everything after the owner cut goes to the
  // validator and its nominators (what rounding leaves waits for the next epoch).
  const rao accrued = 10 * tao;
  const rao owner_cut = owner_cut_of(accrued);
  EXPECT_EQ(stake(owner_hk, alice), owner_cut);
  EXPECT_EQ(stake(miner_hk, bob), 0u);
  const rao to_validator = stake(val_hk, bob) - bob_before + stake(val_hk, carol) - carol_before;
  EXPECT_EQ(to_validator + get_subnet_pending(state, netuid), accrued - owner_cut);
  EXPECT_LT(get_subnet_pending(state, netuid), 10u);
}

TEST_F(SubnetEpochs, RunEpochOnlyStoresOutputsWithoutPaying) {
  height = 3;
  expect_ok(val_hk, set_weights_call{netuid, {miner}, {65535}, 0});
  const auto before = get_totals(state);
  overlay o(state);
  auto out = run_epoch_only(o, netuid, 5, 1000 * tao);
  ASSERT_TRUE(out) << out.error().to_string();
  state.apply(o.diff());
  EXPECT_EQ(get_totals(state), before);
  EXPECT_EQ(get_neuron(state, netuid, miner)->emission, out->emission[miner]);
  EXPECT_EQ(get_neuron(state, netuid, miner)->incentive, out->incentive[miner]);
  EXPECT_EQ(get_subnet(state, netuid)->epoch_index, 1u);
  EXPECT_FALSE(run_epoch_only(o, 9, 5, tao)) << "netuid 9 does not exist";
}

}  // namespace
}  // namespace synod::chain::testing
