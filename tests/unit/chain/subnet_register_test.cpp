// register_subnet, set_subnet_hyperparams, burned_register (with pruning), serve,
// set_delegate_take and set_root_weights: happy paths and every rejection.

#include "subnet_fixture.hpp"

namespace synod::chain::testing {
namespace {

using SubnetRegister = SubnetFixture;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(SubnetRegister, SubnetLocksTheCostAndTheOwnerHotkeyTakesUid0) {
  height = 50;
  rao before = get_account(state, alice.public_key()).balance;
  netuid_t netuid = make_subnet();
  ASSERT_EQ(netuid, 1);
  auto info = get_subnet(state, 1);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->owner_coldkey, alice.public_key());
  EXPECT_EQ(info->owner_hotkey, owner_hk.public_key());
  EXPECT_EQ(info->locked, 100 * tao);
  EXPECT_EQ(info->neuron_count, 1u);
  EXPECT_EQ(info->last_epoch_block, 49u);  // staggered by netuid mod tempo
  EXPECT_EQ(info->hp, subnet_hyperparams{});
  EXPECT_EQ(get_uid(state, 1, owner_hk.public_key()), 0);
  EXPECT_EQ(get_neuron(state, 1, 0)->registered_at, 50u);
  EXPECT_LT(get_account(state, alice.public_key()).balance, before - 100 * tao);
  EXPECT_EQ(get_totals(state).locked, 100 * tao);
  expect_supply_invariant(state);

  // The next lock doubles the last, less last/interval per block since.
  height = 150;
  expect_ok(bob, registration(bob, val_hk));
  expect_ok(bob, register_subnet_call{val_hk.public_key()});
  const rao expected = 200 * tao - (100 * tao / 100'800) * 100;
  EXPECT_EQ(get_subnet(state, 2)->locked, expected);
  EXPECT_EQ(get_totals(state).locked, 100 * tao + expected);
  EXPECT_EQ(get_network(state).subnet_count, 2);
  expect_supply_invariant(state);
}

TEST_F(SubnetRegister, SubnetRejections) {
  expect_fail(alice, register_subnet_call{owner_hk.public_key()}, errc::hotkey_not_registered);
  expect_ok(bob, registration(bob, val_hk));
  expect_fail(alice, register_subnet_call{val_hk.public_key()}, errc::not_hotkey_owner);
  make_subnet();
  height = 100;
  auto msg = expect_fail(alice, register_subnet_call{owner_hk.public_key()},
                         errc::network_rate_limited);
  EXPECT_TRUE(has(msg, "next allowed at block 7201")) << msg;
  edit([&](overlay& o) {
    auto net = get_network(o);
    net.subnet_limit = 1;
    put_network(o, net);
  });
  expect_fail(bob, register_subnet_call{val_hk.public_key()}, errc::subnet_limit_reached);
  auto poor = key(40);
  fund(poor.public_key(), tao);
  expect_ok(poor, registration(poor, key(41)));
  edit([&](overlay& o) {
    auto net = get_network(o);
    net.subnet_limit = 10;
    put_network(o, net);
  });
  expect_fail(poor, register_subnet_call{key(41).public_key()}, errc::insufficient_balance);
}

TEST_F(SubnetRegister, OwnerSetsHyperparametersEachRangeChecked) {
  netuid_t netuid = make_subnet();
  expect_ok(alice, set_subnet_hyperparams_call{
                       netuid, {{hyperparam::tempo, 10}, {hyperparam::commit_reveal, 0},
                                {hyperparam::kappa, 40'000}, {hyperparam::max_weights_limit, 30'000}}});
  auto hp = get_subnet(state, netuid)->hp;
  EXPECT_EQ(hp.tempo, 10);
  EXPECT_FALSE(hp.commit_reveal);
  EXPECT_EQ(hp.kappa, 40'000);
  EXPECT_EQ(hp.max_weights_limit, 30'000);

  expect_fail(bob, set_subnet_hyperparams_call{netuid, {{hyperparam::tempo, 20}}},
              errc::not_subnet_owner);
  expect_fail(alice, set_subnet_hyperparams_call{7, {{hyperparam::tempo, 20}}},
              errc::subnet_not_found);
  expect_fail(alice, set_subnet_hyperparams_call{0, {{hyperparam::tempo, 20}}},
              errc::subnet_not_found);
  struct bad {
    hyperparam id;
    std::uint64_t value;
  };
  for (auto [id, value] : {bad{hyperparam::tempo, 0}, bad{hyperparam::tempo, 50'401},
                           bad{hyperparam::kappa, 65'536}, bad{hyperparam::yuma3, 2},
                           bad{hyperparam::bonds_moving_average, 975'001},
                           bad{hyperparam::alpha_low, 60'000}, bad{hyperparam::alpha_high, 50'000},
                           bad{hyperparam::alpha_sigmoid_steepness, 40'000},
                           bad{hyperparam::activity_cutoff_factor_milli, 999},
                           bad{hyperparam::max_allowed_uids, 65'537},
                           bad{hyperparam::max_allowed_uids, 0},
                           bad{hyperparam::max_allowed_validators, 0},
                           bad{hyperparam::immune_owner_uids_limit, 11},
                           bad{hyperparam::min_burn, 200 * tao},
                           bad{hyperparam::burn_half_life, 36'101},
                           bad{hyperparam::burn_increase_mult_q32, 1},
                           bad{hyperparam::reveal_period_epochs, 0},
                           bad{hyperparam::reveal_period_epochs, 101}}) {
    auto msg = expect_fail(alice, set_subnet_hyperparams_call{netuid, {{id, value}}},
                           errc::hyperparam_out_of_range);
    EXPECT_TRUE(has(msg, std::string(hyperparam_name(id)))) << msg;
  }
}

TEST_F(SubnetRegister, BurnedRegisterRecyclesThePriceAndBumpsIt) {
  height = 10;
  netuid_t netuid = make_subnet();
  const auto p = burn_params_of(get_subnet(state, netuid)->hp);
  // Recycled: the price and the fee leave total issuance; nothing is counted as burned.
  auto registered = [&](const crypto::keypair& hk, rao price) {
    expect_ok(bob, registration(bob, hk));
    const auto before = get_totals(state);
    auto r = submit(bob, burned_register_call{netuid, hk.public_key()});
    ASSERT_TRUE(r && !r->failure);
    EXPECT_EQ(get_totals(state).issuance, before.issuance - price - r->fee);
    EXPECT_EQ(get_totals(state).burned, before.burned);
  };
  registered(val_hk, tao);
  EXPECT_EQ(get_uid(state, netuid, val_hk.public_key()), 1);
  auto info = get_subnet(state, netuid);
  EXPECT_EQ(info->burn, bump_burn(tao, p));
  EXPECT_EQ(info->burn, 1'260'000'000u);  // the default BurnIncreaseMult, 1.26
  EXPECT_EQ(info->neuron_count, 2u);
  EXPECT_EQ(get_neuron(state, netuid, 1)->last_update, 10u);
  expect_supply_invariant(state);

  // 25 blocks later the price has decayed block by block.
  height = 35;
  rao price = info->burn;
  for (int i = 0; i < 25; ++i) price = decay_burn(price, p);
  EXPECT_EQ(burn_at(*info, height), price);
  registered(miner_hk, price);
  EXPECT_EQ(get_uid(state, netuid, miner_hk.public_key()), 2);
  expect_supply_invariant(state);

  expect_fail(bob, burned_register_call{netuid, miner_hk.public_key()}, errc::hotkey_in_subnet);
  expect_fail(bob, burned_register_call{9, miner2_hk.public_key()}, errc::subnet_not_found);
  expect_fail(bob, burned_register_call{netuid, owner_hk.public_key()}, errc::not_hotkey_owner);
  set_hp(netuid, hyperparam::registration_allowed, 0);
  expect_ok(bob, registration(bob, miner2_hk));
  expect_fail(bob, burned_register_call{netuid, miner2_hk.public_key()},
              errc::registration_disabled);
}

TEST_F(SubnetRegister, AFullSubnetReplacesTheLowestEmissionNeuronOutsideImmunity) {
  height = 1;
  netuid_t netuid = make_subnet();
  expect_ok(alice, set_subnet_hyperparams_call{netuid, {{hyperparam::max_allowed_uids, 3},
                                                        {hyperparam::immunity_period, 100},
                                                        {hyperparam::min_non_immune_uids, 0},
                                                        {hyperparam::commit_reveal, 0}}});
  join(netuid, val_hk);    // uid 1
  join(netuid, miner_hk);  // uid 2
  edit([&](overlay& o) {
    auto n1 = *get_neuron(o, netuid, 1);
    n1.emission = 50;
    put_neuron(o, netuid, 1, n1);
    auto n2 = *get_neuron(o, netuid, 2);
    n2.emission = 5;  // the lowest, but still immune until block 101
    put_neuron(o, netuid, 2, n2);
    put_weights(o, netuid, 1, {{0, 7}, {2, 65535}});
    put_weights(o, netuid, 2, {{1, 65535}});
    put_bonds(o, netuid, 2, {{1, 100}});
  });
  // Everything mortal is immune: the lowest-emission immune uid goes.
  height = 50;
  EXPECT_EQ(join(netuid, miner2_hk), 2);
  EXPECT_FALSE(get_uid(state, netuid, miner_hk.public_key()));
  EXPECT_EQ(get_neuron(state, netuid, 2)->hotkey, miner2_hk.public_key());
  EXPECT_EQ(get_neuron(state, netuid, 2)->registered_at, 50u);
  EXPECT_EQ(get_neuron(state, netuid, 2)->emission, 0u);
  EXPECT_TRUE(get_weights(state, netuid, 2).empty());
  EXPECT_TRUE(get_bonds(state, netuid, 2).empty());
  EXPECT_EQ(get_weights(state, netuid, 1), (u16_row{{0, 7}, {2, 0}}));  // explicit zero kept
  EXPECT_EQ(get_subnet(state, netuid)->neuron_count, 3u);
  expect_supply_invariant(state);

  // At 120 uid 1 (registered at 1) is out of immunity, uid 2 (at 50) is not: uid 1 goes
  // although its emission is higher.
  height = 120;
  EXPECT_EQ(join(netuid, carol), 1);

  // The owner hotkey is never pruned: a subnet of one holds only it.
  expect_ok(bob, register_subnet_call{val_hk.public_key()});
  const netuid_t lone = 2;
  expect_ok(bob, set_subnet_hyperparams_call{lone, {{hyperparam::max_allowed_uids, 1}}});
  expect_fail(bob, burned_register_call{lone, miner_hk.public_key()}, errc::no_uid_available);
}

TEST_F(SubnetRegister, ServeStoresAValidEndpoint) {
  height = 5;
  netuid_t netuid = make_subnet();
  uid_t uid = join(netuid, val_hk);
  serve_call c{netuid, {}, 4, 8091, 0, 3};
  c.ip[12] = 10;
  c.ip[15] = 7;
  expect_ok(val_hk, c);
  auto a = get_axon(state, netuid, uid);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port, 8091);
  EXPECT_EQ(a->block, 5u);
  EXPECT_EQ(a->version, 3u);

  height = 20;
  auto msg = expect_fail(val_hk, c, errc::serve_rate_limited);
  EXPECT_TRUE(has(msg, "next allowed at block 55")) << msg;
  height = 55;
  expect_ok(val_hk, c);

  height = 200;
  auto bad = c;
  bad.ip_type = 5;
  expect_fail(val_hk, bad, errc::bad_endpoint);
  bad = c;
  bad.port = 0;
  expect_fail(val_hk, bad, errc::bad_endpoint);
  bad = c;
  bad.ip[0] = 1;  // not an IPv4 layout
  expect_fail(val_hk, bad, errc::bad_endpoint);
  bad = c;
  bad.ip = {};
  bad.ip_type = 6;
  expect_fail(val_hk, bad, errc::bad_endpoint);
  bad = c;
  bad.protocol = 3;
  expect_fail(val_hk, bad, errc::bad_endpoint);
  fund(key(50).public_key(), tao);
  expect_fail(key(50), c, errc::not_in_subnet);
}

TEST_F(SubnetRegister, DelegateTakeIsRangedAndRaisesAreRateLimited) {
  height = 10;
  expect_ok(bob, registration(bob, val_hk));
  expect_ok(bob, set_delegate_take_call{val_hk.public_key(), 5'000});
  EXPECT_EQ(get_delegate(state, val_hk.public_key()), (delegate_info{5'000, 10}));
  expect_fail(bob, set_delegate_take_call{val_hk.public_key(), 11'797}, errc::take_out_of_range);
  height = 20;
  auto msg = expect_fail(bob, set_delegate_take_call{val_hk.public_key(), 6'000},
                         errc::take_rate_limited);
  EXPECT_TRUE(has(msg, "next allowed at block 216010")) << msg;
  expect_ok(bob, set_delegate_take_call{val_hk.public_key(), 4'000});  // lowering always passes
  height = 216'020;
  expect_ok(bob, set_delegate_take_call{val_hk.public_key(), 11'796});
  expect_fail(alice, set_delegate_take_call{val_hk.public_key(), 1}, errc::not_hotkey_owner);
}

TEST_F(SubnetRegister, RootVotesAreStoredOverExistingSubnets) {
  height = 3;
  netuid_t netuid = make_subnet();
  expect_ok(bob, registration(bob, val_hk));
  expect_ok(val_hk, set_root_weights_call{{netuid}, {100}});
  auto v = get_root_vote(state, val_hk.public_key());
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (root_vote{3, {{netuid, 65535}}}));
  expect_fail(val_hk, set_root_weights_call{{netuid, 5}, {1, 1}}, errc::subnet_not_found);
  expect_fail(val_hk, set_root_weights_call{{0}, {1}}, errc::subnet_not_found);
  expect_fail(val_hk, set_root_weights_call{{netuid, netuid}, {1, 1}}, errc::duplicate_uids);
  expect_fail(val_hk, set_root_weights_call{{netuid}, {1, 1}}, errc::weights_length_mismatch);
  fund(key(51).public_key(), tao);
  expect_fail(key(51), set_root_weights_call{{netuid}, {1}}, errc::hotkey_not_registered);
}

}  // namespace
}  // namespace synod::chain::testing
