// set_weights (every check of subtensor-economics.md section 4.1) and commit / reveal
// (section 5): happy paths and each rejection with its own code.

#include "subnet_fixture.hpp"

namespace synod::chain::testing {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SubnetWeights : public SubnetFixture {
 public:
  SubnetWeights() {
    height = 1;
    netuid = make_subnet();
    expect_ok(alice, set_subnet_hyperparams_call{netuid, {{hyperparam::commit_reveal, 0},
                                                          {hyperparam::weights_rate_limit, 10},
                                                          {hyperparam::min_allowed_weights, 2},
                                                          {hyperparam::tempo, 10}}});
    join(netuid, val_hk);     // uid 1, given a permit below
    join(netuid, miner_hk);   // uid 2
    join(netuid, miner2_hk);  // uid 3
    edit([&](overlay& o) {
      auto n = *get_neuron(o, netuid, 1);
      n.validator_permit = true;
      put_neuron(o, netuid, 1, n);
      auto info = *get_subnet(o, netuid);
      info.last_epoch_block = 15;  // epoch 0 runs until block 25
      put_subnet(o, netuid, info);
    });
    height = 20;
  }

  set_weights_call weights(std::vector<std::uint16_t> uids, std::vector<std::uint16_t> values,
                           std::uint64_t version = 0) const {
    return {netuid, std::move(uids), std::move(values), version};
  }

  void use_commit_reveal() { set_hp(netuid, hyperparam::commit_reveal, 1); }

  /// Moves the subnet's epoch clock as the epoch engine would: one epoch ran at `at`.
  void epoch_ran(std::uint64_t at) {
    edit([&](overlay& o) {
      auto info = *get_subnet(o, netuid);
      info.last_epoch_block = at;
      ++info.epoch_index;
      put_subnet(o, netuid, info);
    });
  }

  netuid_t netuid = 0;
};

TEST_F(SubnetWeights, StoresMaxUpscaledSortedRowsWithExplicitZeros) {
  expect_ok(val_hk, weights({3, 2, 0}, {21845, 43690, 0}));
  EXPECT_EQ(get_weights(state, netuid, 1), (u16_row{{0, 0}, {2, 65535}, {3, 32768}}));
  EXPECT_EQ(get_neuron(state, netuid, 1)->last_update, 20u);
  // A lone self-weight needs no permit and is not "too few".
  expect_ok(miner_hk, weights({2}, {5}));
  EXPECT_EQ(get_weights(state, netuid, 2), (u16_row{{2, 65535}}));
  // The owner needs no permit.
  expect_ok(owner_hk, weights({1, 2}, {1, 1}));
  expect_supply_invariant(state);
}

TEST_F(SubnetWeights, TooFastNamesTheNextBlock) {
  height = 5;  // registered at 1, rate limit 10
  auto msg = expect_fail(val_hk, weights({2, 3}, {1, 1}), errc::weights_rate_limited);
  EXPECT_TRUE(has(msg, "next allowed at block 11")) << msg;
  height = 11;
  expect_ok(val_hk, weights({2, 3}, {1, 1}));
  height = 12;
  msg = expect_fail(val_hk, weights({2, 3}, {1, 1}), errc::weights_rate_limited);
  EXPECT_TRUE(has(msg, "next allowed at block 21")) << msg;
}

TEST_F(SubnetWeights, EachBadVectorHasItsOwnReason) {
  expect_fail(miner_hk, weights({1, 3}, {1, 1}), errc::no_validator_permit);
  expect_fail(val_hk, weights({2, 2}, {1, 1}), errc::duplicate_uids);
  expect_fail(val_hk, weights({2, 7}, {1, 1}), errc::unknown_uid);
  expect_fail(val_hk, weights({2, 3}, {1}), errc::weights_length_mismatch);
  expect_fail(val_hk, weights({0, 1, 2, 3, 4}, {1, 1, 1, 1, 1}), errc::too_many_weights);
  auto msg = expect_fail(val_hk, weights({2}, {1}), errc::too_few_weights);
  EXPECT_TRUE(has(msg, "at least 2")) << msg;
  fund(key(60).public_key(), tao);
  expect_fail(key(60), weights({2, 3}, {1, 1}), errc::not_in_subnet);
  expect_fail(val_hk, set_weights_call{9, {2, 3}, {1, 1}, 0}, errc::subnet_not_found);
}

TEST_F(SubnetWeights, LimitsVersionAndStake) {
  set_hp(netuid, hyperparam::max_weights_limit, 40'000);  // about 61%
  expect_fail(val_hk, weights({2, 3}, {65535, 1000}), errc::weight_over_limit);
  expect_ok(val_hk, weights({2, 3}, {65535, 60000}));
  height = 40;
  set_hp(netuid, hyperparam::weights_version_key, 5);
  auto msg = expect_fail(val_hk, weights({2, 3}, {1, 1}, 4), errc::stale_version_key);
  EXPECT_TRUE(has(msg, "below the subnet's 5")) << msg;
  expect_ok(val_hk, weights({2, 3}, {1, 1}, 5));
  height = 60;
  set_hp(netuid, hyperparam::stake_threshold, tao);
  expect_fail(val_hk, weights({2, 3}, {1, 1}, 5), errc::stake_below_threshold);
  expect_ok(bob, add_stake_call{val_hk.public_key(), tao});
  expect_ok(val_hk, weights({2, 3}, {1, 1}, 5));
  expect_supply_invariant(state);
}

TEST_F(SubnetWeights, CommitRevealSubnetsRefusePlainWeights) {
  use_commit_reveal();
  expect_fail(val_hk, weights({2, 3}, {1, 1}), errc::commit_reveal_enabled);
  set_hp(netuid, hyperparam::commit_reveal, 0);
  expect_fail(val_hk, commit_weights_call{netuid, {}}, errc::commit_reveal_disabled);
}

TEST_F(SubnetWeights, RevealInTheNextEpochWithTheRightSalt) {
  use_commit_reveal();
  const std::vector<std::uint16_t> uids{2, 3}, values{30'000, 10'000};
  const bytes salt{1, 2, 3};
  auto hash = weights_commit_hash(val_hk.public_key(), netuid, uids, values, salt, 0);
  expect_ok(val_hk, commit_weights_call{netuid, hash});
  auto commits = get_commits(state, netuid, val_hk.public_key());
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(commits[0].epoch, current_epoch(*get_subnet(state, netuid), height));
  EXPECT_EQ(get_neuron(state, netuid, 1)->last_update, 20u);

  reveal_weights_call reveal{netuid, uids, values, salt, 0};
  height = 21;
  auto msg = expect_fail(val_hk, reveal, errc::reveal_too_early);
  EXPECT_TRUE(has(msg, "revealable in epoch")) << msg;

  epoch_ran(25);
  height = 26;
  auto wrong = reveal;
  wrong.salt = {1, 2, 4};
  expect_fail(val_hk, wrong, errc::reveal_mismatch);
  expect_ok(val_hk, reveal);
  EXPECT_EQ(get_weights(state, netuid, 1), (u16_row{{2, 65535}, {3, 21845}}));
  EXPECT_EQ(get_neuron(state, netuid, 1)->last_update, 20u);  // a reveal leaves LastUpdate
  EXPECT_TRUE(get_commits(state, netuid, val_hk.public_key()).empty());
  expect_fail(val_hk, reveal, errc::no_weight_commit);
}

TEST_F(SubnetWeights, AnUnrevealedCommitExpires) {
  use_commit_reveal();
  const bytes salt{9};
  auto hash = weights_commit_hash(val_hk.public_key(), netuid, std::vector<std::uint16_t>{2, 3},
                                  std::vector<std::uint16_t>{1, 1}, salt, 0);
  expect_ok(val_hk, commit_weights_call{netuid, hash});
  epoch_ran(25);
  epoch_ran(35);
  height = 36;
  auto msg = expect_fail(val_hk, reveal_weights_call{netuid, {2, 3}, {1, 1}, salt, 0},
                         errc::reveal_too_late);
  EXPECT_TRUE(has(msg, "expired")) << msg;
}

TEST_F(SubnetWeights, CommitsAreRateLimitedAndBounded) {
  use_commit_reveal();
  height = 5;
  expect_fail(val_hk, commit_weights_call{netuid, {}}, errc::weights_rate_limited);
  set_hp(netuid, hyperparam::weights_rate_limit, 0);
  for (std::uint8_t i = 0; i < max_unrevealed_commits; ++i) {
    hash32 h;
    h.data[0] = i;
    expect_ok(val_hk, commit_weights_call{netuid, h});
  }
  expect_fail(val_hk, commit_weights_call{netuid, {}}, errc::too_many_commits);
  // Once they expire they make room again.
  epoch_ran(6);
  epoch_ran(16);
  height = 17;
  expect_ok(val_hk, commit_weights_call{netuid, {}});
  EXPECT_EQ(get_commits(state, netuid, val_hk.public_key()).size(), 1u);
}

TEST(SubnetEpochClock, LooksAheadToAnEpochDueInThisBlock) {
  subnet_info s;
  s.hp.tempo = 10;
  s.last_epoch_block = 100;
  s.epoch_index = 4;
  EXPECT_FALSE(epoch_due(s, 109));
  EXPECT_EQ(current_epoch(s, 109), 4u);
  EXPECT_TRUE(epoch_due(s, 110));
  EXPECT_EQ(current_epoch(s, 110), 5u);
  s.hp.tempo = 0;
  EXPECT_FALSE(epoch_due(s, 1'000'000));
}

}  // namespace
}  // namespace synod::chain::testing
