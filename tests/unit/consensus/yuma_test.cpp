// Hand-sized epochs: input checks and rules that are easy to see on two or three uids.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "synod/consensus/epoch.hpp"
#include "synod/consensus/errc.hpp"

namespace synod::consensus {
namespace {

// uid 0 validates with all the stake; uid 1 is a miner it weights fully.
epoch_input two_uids() {
  epoch_input in;
  in.block = 10;
  in.stake = {i64f64::from_int(100), i64f64{}};
  in.registered_at = {1, 1};
  in.last_update = {5, 1};
  in.validator_permit = {true, false};
  in.weights = {{{1, 65535}}, {}};
  in.bonds = {{}, {}};
  in.params.tempo = 1;
  in.params.activity_cutoff = 100;
  in.emission = 1'000'000'000;
  return in;
}

TEST(Yuma, RejectsInconsistentInput) {
  epoch_input in = two_uids();
  in.last_update.pop_back();
  auto out = run_epoch(in);
  ASSERT_FALSE(out);
  EXPECT_TRUE(out.error().is(errc::bad_input));
  in = two_uids();
  in.weights[0] = {{1, 5}, {1, 7}};
  EXPECT_FALSE(run_epoch(in));
}

// Rows shorter than a vector are checked without the kernels: a uid named twice, next to
// itself or not, at any place of a row of 2 to 7 entries, is still an error naming the row.
TEST(Yuma, ShortRowsNamingAUidTwiceAreRejected) {
  for (std::size_t size = 2; size < 8; ++size)
    for (std::size_t at = 1; at < size; ++at)
      for (bool bonds : {false, true}) {
        epoch_input in = two_uids();
        const std::size_t n = 20;
        in.stake.resize(n);
        in.registered_at.resize(n, 1);
        in.last_update.resize(n, 1);
        in.validator_permit.resize(n);
        in.weights.resize(n);
        in.bonds.resize(n);
        u16_row row;
        for (std::size_t k = 0; k < size; ++k) row.push_back({static_cast<std::uint16_t>(2 + k), 100});
        row[at].uid = row[at - (at % 2 == 0 ? 1 : at)].uid;  // the one before, or the first
        std::sort(row.begin(), row.end(), [](const u16_entry& a, const u16_entry& b) { return a.uid < b.uid; });
        (bonds ? in.bonds : in.weights)[7] = row;
        auto out = run_epoch(in);
        ASSERT_FALSE(out) << size << " " << at;
        EXPECT_TRUE(out.error().is(errc::bad_input));
        EXPECT_NE(out.error().to_string().find(std::string(bonds ? "bonds" : "weights") + " row 7 names a uid twice"),
                  std::string::npos)
            << out.error().to_string();
      }
}

TEST(Yuma, LoneValidatorSplitsEmissionWithItsMiner) {
  auto out = run_epoch(two_uids());
  ASSERT_TRUE(out);
  EXPECT_EQ(out->consensus, (std::vector<std::uint16_t>{0, 65535}));
  EXPECT_EQ(out->incentive, (std::vector<std::uint16_t>{0, 65535}));
  EXPECT_EQ(out->dividends, (std::vector<std::uint16_t>{65535, 0}));
  EXPECT_EQ(out->validator_trust, (std::vector<std::uint16_t>{65535, 0}));
  EXPECT_EQ(out->server_emission, (std::vector<std::uint64_t>{0, 500'000'000}));
  EXPECT_EQ(out->validator_emission, (std::vector<std::uint64_t>{500'000'000, 0}));
  ASSERT_EQ(out->bonds[0].size(), 1u);
  EXPECT_EQ(out->bonds[0][0], (u16_entry{1, 65535}));  // Yuma 2 stores bonds max-upscaled
}

TEST(Yuma, WeightsOlderThanTheTargetsRegistrationAreIgnored) {
  epoch_input in = two_uids();
  in.registered_at[1] = 5;  // re-registered in the block the weights were set
  auto out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->incentive, (std::vector<std::uint16_t>{0, 0}));
  // Nothing earned: validators are paid by active stake.
  EXPECT_EQ(out->validator_emission, (std::vector<std::uint64_t>{1'000'000'000, 0}));
}

TEST(Yuma, InactiveValidatorsDoNotVote) {
  epoch_input in = two_uids();
  in.block = 106;  // last update 5 + cutoff 100 < 106
  auto out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->active, (std::vector<bool>{false, false}));
  EXPECT_EQ(out->consensus, (std::vector<std::uint16_t>{0, 0}));
  // No active stake at all: the fallback pays by stake.
  EXPECT_EQ(out->emission, (std::vector<std::uint64_t>{1'000'000'000, 0}));
}

TEST(Yuma, LostPermitClearsTheBondRow) {
  epoch_input in = two_uids();
  in.params.max_allowed_validators = 0;
  in.bonds[0] = {{1, 65535}};
  auto out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->validator_permit, (std::vector<bool>{false, false}));
  EXPECT_TRUE(out->bonds[0].empty());
}

TEST(Yuma, CommitRevealMaskDropsWeightsCommittedForThePreviousOccupant) {
  epoch_input in = two_uids();
  in.registered_at[1] = 4;  // after the commit at block 3, before the last update at 5
  in.first_commit_block = {3, std::nullopt};
  auto out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->incentive, (std::vector<std::uint16_t>{0, 0}));
  in.first_commit_block = {4, std::nullopt};  // committed in the registration block: kept
  out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->incentive, (std::vector<std::uint16_t>{0, 65535}));
  in.first_commit_block = {4};
  EXPECT_FALSE(run_epoch(in));
}

TEST(Yuma, OnlyTheOwnerMayWeightItself) {
  epoch_input in = two_uids();
  in.weights[0] = {{0, 65535}};
  auto out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->incentive, (std::vector<std::uint16_t>{0, 0}));
  in.owner_uid = 0;
  out = run_epoch(in);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->incentive, (std::vector<std::uint16_t>{65535, 0}));
}

TEST(Yuma, ActivityCutoffFromTempo) {
  EXPECT_EQ(activity_cutoff_blocks(13889, 360), 5000u);
  EXPECT_EQ(activity_cutoff_blocks(13889, 1), 13u);
  EXPECT_EQ(activity_cutoff_blocks(13889, 0), 1u);
  EXPECT_EQ(activity_cutoff_blocks(13889, 65534), 910201u);
}

}  // namespace
}  // namespace synod::consensus
