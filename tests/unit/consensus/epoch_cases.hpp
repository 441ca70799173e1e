#pragma once
// Seeded random subnets and their comparison with the oracle, shared by the epoch's oracle
// tests (epoch_oracle_test.cpp, epoch_dense_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <string>

#include "oracle/oracle.hpp"
#include "synod/consensus/epoch.hpp"

namespace synod::consensus::cases {

// splitmix64: a fixed stream, the same on every machine.
class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

// A u16 that is often an edge: 0, 1, 65535, or a power of two.
inline std::uint16_t u16_value(rng& r) {
  switch (r.below(8)) {
    case 0: return 0;
    case 1: return 65535;
    case 2: return 1;
    case 3: return static_cast<std::uint16_t>(std::uint32_t{1} << r.below(16));
    default: return static_cast<std::uint16_t>(r.next());
  }
}

inline i64f64 stake_value(rng& r) {
  switch (r.below(7)) {
    case 0: return i64f64{};
    case 6:  // not on chain, but the type allows it
      return r.chance(80) ? i64f64::from_int(1 + r.below(1000)) : i64f64::from_raw(-static_cast<i128>(r.next()) << 40);
    case 1: return i64f64::from_int(~std::uint64_t{0});  // saturates the total
    case 2: return i64f64::from_raw(static_cast<i128>(r.next() >> r.below(64)));  // a fraction
    default: return i64f64::from_int((1 + r.below(1'000'000)) * (r.chance(50) ? 1'000'000'000 : 1));
  }
}

// A row of distinct uids, some past n, in order or (rarely) not; `dense` names every uid.
inline u16_row random_row(rng& r, std::size_t n, bool dense) {
  std::vector<std::uint16_t> uids;
  if (dense) {
    uids.resize(n);
    std::iota(uids.begin(), uids.end(), std::uint16_t{0});
  } else {
    const std::size_t k = r.below(std::min<std::size_t>(n + 3, 40));
    for (std::size_t t = 0; t < k; ++t) uids.push_back(static_cast<std::uint16_t>(r.below(n + 3)));
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  }
  if (r.chance(5)) std::reverse(uids.begin(), uids.end());
  u16_row row;
  const bool upscaled = r.chance(60);  // how storage keeps weights: the largest is 65535
  for (std::uint16_t u : uids) row.push_back({u, upscaled ? static_cast<std::uint16_t>(1 + r.below(65535)) : u16_value(r)});
  if (upscaled && !row.empty()) row[r.below(row.size())].value = 65535;
  return row;
}

inline yuma_params random_params(rng& r, std::size_t n) {
  yuma_params p;
  p.tempo = 1 + r.below(1000);
  p.kappa = r.chance(50) ? 32767 : u16_value(r);
  p.bonds_moving_average = r.chance(40) ? 900'000 : r.below(1'100'000);
  p.bonds_penalty = r.chance(40) ? 65535 : u16_value(r);
  p.yuma3 = r.chance(50);
  p.liquid_alpha = r.chance(60);
  p.alpha_low = r.chance(50) ? 45875 : u16_value(r);
  p.alpha_high = r.chance(50) ? 58982 : u16_value(r);
  p.alpha_sigmoid_steepness = r.chance(50) ? 1000 : static_cast<std::int16_t>(r.next());
  p.max_allowed_validators = static_cast<std::uint16_t>(r.below(n + 5));
  p.activity_cutoff = r.chance(80) ? 5000 : r.below(200);
  if (r.chance(5)) p.activity_cutoff = ~std::uint64_t{0} - r.below(3);  // last_update + cutoff saturates
  p.stake_threshold = r.chance(80) ? 0 : r.below(2'000'000);
  return p;
}

inline epoch_input random_input(rng& r, std::size_t n) {
  epoch_input in;
  in.block = 1000 + r.below(10'000);
  in.last_mechanism_step_block = r.chance(30) ? 0 : in.block - 1 - r.below(500);
  in.params = random_params(r, n);
  const unsigned validators = static_cast<unsigned>(r.below(101));  // percent with a permit
  const bool dense = r.chance(30);
  for (std::size_t i = 0; i < n; ++i) {
    in.stake.push_back(stake_value(r));
    in.registered_at.push_back(r.below(in.block + 2));
    in.last_update.push_back(r.chance(90) ? in.block - r.below(in.block / 4) : r.below(in.block));
    in.validator_permit.push_back(r.chance(validators));
    in.weights.push_back(r.chance(validators + 10) ? random_row(r, n, dense) : u16_row{});
    in.bonds.push_back(r.chance(50) ? random_row(r, n, dense && r.chance(50)) : u16_row{});
  }
  if (r.chance(70)) in.owner_uid = static_cast<std::uint16_t>(r.below(n + 2));
  if (r.chance(30))
    for (std::size_t i = 0; i < n; ++i)
      in.first_commit_block.push_back(
          r.chance(50) ? std::nullopt
                       : std::optional<std::uint64_t>(r.chance(10) ? ~std::uint64_t{0} : r.below(in.block)));
  in.emission = r.chance(80) ? 1'000'000'000 : r.next();
  return in;
}

// Whether the epoch paid dividends and stored bonds: the cases that exercise every step.
inline bool eventful(const epoch_output& out) {
  return std::any_of(out.dividends.begin(), out.dividends.end(), [](auto d) { return d != 0; }) &&
         std::any_of(out.bonds.begin(), out.bonds.end(), [](const u16_row& b) { return !b.empty(); });
}

// Compares every output; returns whether the case was eventful. With a workspace, the epoch
// runs on it (whatever earlier epochs left there must not matter).
inline bool expect_same(const epoch_input& in, const std::string& where, epoch_workspace* ws = nullptr) {
  const auto got = ws ? run_epoch(in, *ws) : run_epoch(in);
  const auto want = oracle::run_epoch(in);
  EXPECT_EQ(static_cast<bool>(got), static_cast<bool>(want)) << where;
  if (!got || !want) return false;
  EXPECT_EQ(got->consensus, want->consensus) << where;
  EXPECT_EQ(got->incentive, want->incentive) << where;
  EXPECT_EQ(got->dividends, want->dividends) << where;
  EXPECT_EQ(got->validator_trust, want->validator_trust) << where;
  EXPECT_EQ(got->stake_weight, want->stake_weight) << where;
  EXPECT_EQ(got->active, want->active) << where;
  EXPECT_EQ(got->validator_permit, want->validator_permit) << where;
  EXPECT_EQ(got->server_emission, want->server_emission) << where;
  EXPECT_EQ(got->validator_emission, want->validator_emission) << where;
  EXPECT_EQ(got->emission, want->emission) << where;
  EXPECT_EQ(got->bonds, want->bonds) << where;
  return eventful(*want);
}

// The settings the bench-shaped cases share: an epoch due at block 10,000 with `v` validator
// permits; case c picks Yuma 3 when odd and liquid alpha when c % 4 == 1.
inline epoch_input bench_shaped(std::size_t v, int c) {
  epoch_input in;
  in.block = 10'000;
  in.last_mechanism_step_block = 9'640;
  in.params.max_allowed_validators = static_cast<std::uint16_t>(v);
  in.params.yuma3 = c % 2 == 1;
  in.params.liquid_alpha = c % 4 == 1;
  in.emission = 1'000'000'000;
  return in;
}

// Appends n uids to a bench-shaped input: about v of them staked validators weighting the
// uids (every uid when dense), none with bonds yet.
inline void add_bench_uids(rng& r, epoch_input& in, std::size_t n, std::size_t v, bool dense) {
  for (std::size_t i = 0; i < n; ++i) {
    const bool validator = r.below(n) < v;
    in.stake.push_back(validator ? i64f64::from_int((1'000 + r.below(1'000'000)) * 1'000'000'000) : i64f64{});
    in.registered_at.push_back(r.below(5'000));
    in.last_update.push_back(9'999);
    in.validator_permit.push_back(validator);
    in.weights.push_back(validator ? random_row(r, n, dense) : u16_row{});
    in.bonds.emplace_back();
  }
}

// `steps` epochs, each compared with the oracle, each feeding the next its bonds and permits.
inline void expect_chained(epoch_input& in, const std::string& label, int steps) {
  for (int step = 0; step < steps && !::testing::Test::HasFailure(); ++step) {
    expect_same(in, label + " step " + std::to_string(step));
    auto out = oracle::run_epoch(in);
    ASSERT_TRUE(out) << label;
    in.bonds = std::move(out->bonds);
    in.validator_permit = std::move(out->validator_permit);
  }
}

}  // namespace synod::consensus::cases
