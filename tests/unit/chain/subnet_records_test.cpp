// The subnet keyspace: every record round-trips, keys are short and tagged, rows are canonical.

#include "synod/chain/subnet.hpp"

#include "chain_fixture.hpp"

namespace synod::chain::testing {
namespace {

TEST(SubnetRecords, KeysAreTaggedAndOrderedByNumber) {
  auto hk = key(7).public_key();
  EXPECT_EQ(subnet_key(258), (bytes{'N', 1, 2}));
  EXPECT_EQ(neuron_key(1, 2), (bytes{'n', 0, 1, 0, 2}));
  EXPECT_EQ(weights_key(1, 2)[0], 'w');
  EXPECT_EQ(bonds_key(1, 2)[0], 'b');
  EXPECT_EQ(axon_key(1, 2)[0], 'x');
  EXPECT_EQ(uid_key(1, hk).size(), 35u);
  EXPECT_EQ(commits_key(1, hk).size(), 35u);
  EXPECT_EQ(delegate_key(hk).size(), 33u);
  EXPECT_EQ(root_vote_key(hk)[0], 'r');
  EXPECT_EQ(hotkey_stake_key(hk)[0], 'S');
  EXPECT_EQ(network_key(), (bytes{'G'}));
  EXPECT_TRUE(bytes_less{}(neuron_key(1, 255), neuron_key(1, 256)));
}

TEST(SubnetRecords, EveryRecordRoundTrips) {
  memory_state base;
  overlay s(base);
  network_state net;
  net.last_lock = 5;
  net.subnet_count = 3;
  put_network(s, net);
  EXPECT_EQ(get_network(s), net);
  EXPECT_EQ(get_network(base), network_state{});

  subnet_info info;
  info.owner_coldkey = key(1).public_key();
  info.owner_hotkey = key(2).public_key();
  info.registered_at = 9;
  info.neuron_count = 4;
  info.hp.tempo = 99;
  info.hp.alpha_sigmoid_steepness = -3;
  info.hp.liquid_alpha = true;
  put_subnet(s, 3, info);
  EXPECT_EQ(get_subnet(s, 3), info);
  EXPECT_FALSE(get_subnet(s, 4));

  neuron n{key(5).public_key(), 10, 11, 12, 1, 2, 3, 4, 5, 6, true, false};
  put_neuron(s, 3, 1, n);
  EXPECT_EQ(get_neuron(s, 3, 1), n);
  put_uid(s, 3, n.hotkey, 1);
  EXPECT_EQ(get_uid(s, 3, n.hotkey), 1);
  EXPECT_FALSE(get_uid(s, 2, n.hotkey));

  axon_info a;
  a.ip[15] = 1;
  a.ip[12] = 127;
  a.port = 8091;
  a.block = 3;
  put_axon(s, 3, 1, a);
  EXPECT_EQ(get_axon(s, 3, 1), a);

  u16_row row{{0, 0}, {2, 65535}, {7, 9}};
  put_weights(s, 3, 1, row);
  EXPECT_EQ(get_weights(s, 3, 1), row);
  EXPECT_EQ(*s.get(weights_key(3, 1)), (bytes{0, 0, 0, 0, 2, 0, 255, 255, 7, 0, 9, 0}));
  put_bonds(s, 3, 1, row);
  EXPECT_EQ(get_bonds(s, 3, 1), row);
  put_weights(s, 3, 1, {});
  EXPECT_FALSE(s.get(weights_key(3, 1)));
  EXPECT_THROW(put_weights(s, 3, 1, {{2, 1}, {1, 1}}), std::invalid_argument);

  std::vector<weight_commit> commits{{crypto::blake2b_256(as_bytes("a")), 4, 40},
                                     {crypto::blake2b_256(as_bytes("b")), 5, 50}};
  put_commits(s, 3, n.hotkey, commits);
  EXPECT_EQ(get_commits(s, 3, n.hotkey), commits);
  put_commits(s, 3, n.hotkey, {});
  EXPECT_FALSE(s.get(commits_key(3, n.hotkey)));

  EXPECT_EQ(get_delegate(s, n.hotkey).take, 11'796);
  put_delegate(s, n.hotkey, {100, 77});
  EXPECT_EQ(get_delegate(s, n.hotkey), (delegate_info{100, 77}));

  root_vote v{123, {{1, 65535}, {2, 0}}};
  put_root_vote(s, n.hotkey, v);
  EXPECT_EQ(get_root_vote(s, n.hotkey), v);

  put_hotkey_stake(s, n.hotkey, 42);
  EXPECT_EQ(get_hotkey_stake(s, n.hotkey), 42u);
  put_hotkey_stake(s, n.hotkey, 0);
  EXPECT_FALSE(s.get(hotkey_stake_key(n.hotkey)));

  put_last_subnet_registration(s, info.owner_coldkey, 17);
  EXPECT_EQ(get_last_subnet_registration(s, info.owner_coldkey), 17u);
}

TEST(SubnetRecords, EqualRecordsHaveEqualBytes) {
  memory_state base;
  overlay a(base), b(base);
  subnet_info info;
  info.hp.yuma3 = false;
  put_subnet(a, 1, info);
  put_subnet(b, 1, info);
  EXPECT_EQ(a.digest(), b.digest());
}

}  // namespace
}  // namespace synod::chain::testing
