// The stake-weighted median against subtensor's own vectors (g14, from tests/math.rs) and the
// sparse column version against the dense primitive on generated columns.
#include "synod/consensus/weighted_median.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "consensus/epoch_steps.hpp"

namespace synod::consensus {
namespace {

using json = nlohmann::json;

// The reference test writes f32 literals and converts with I32F32::from_num (nearest, ties to
// even); an f32 times 2^32 is exact in a double, so llrint reproduces that conversion.
i32f32 from_f32_literal(const json& v) {
  auto f = static_cast<float>(v.get<double>());
  return i32f32::from_raw(std::llrint(static_cast<double>(f) * 4294967296.0));
}

std::vector<i32f32> vector_of(const json& v) {
  std::vector<i32f32> out;
  for (const auto& x : v) out.push_back(from_f32_literal(x));
  return out;
}

json load_cases() {
  std::ifstream in(std::string(SYNOD_GOLDEN_DIR) + "/yuma/g14_weighted_median.json");
  return json::parse(in).at("cases");
}

void check_median_case(const json& c) {
  std::vector<i32f32> stake = vector_of(c.at("stake")), score = vector_of(c.at("score"));
  if (c.value("normalize_stake", false)) {
    i32f32 total;
    for (i32f32 s : stake) total = total + s;
    if (total != i32f32{})
      for (i32f32& s : stake) s = safe_div(s, total);
  }
  i32f32 hi;
  for (i32f32 s : stake) hi = hi + s;
  const i32f32 minority = i32f32::one() - from_f32_literal(c.at("majority"));
  const i32f32 got = weighted_median(stake, score, minority, i32f32{}, hi);
  EXPECT_EQ(got.raw(), c.at("expect_raw").get<std::int64_t>()) << c.dump();
  EXPECT_EQ(got.raw(), c.at("derived_raw").get<std::int64_t>()) << c.dump();
}

void check_column_case(const json& c) {
  const std::vector<i32f32> stake = vector_of(c.at("stake"));
  fixed_matrix weights;
  std::size_t n = 0;
  for (const auto& row : c.at("weights")) {
    fixed_row r;
    for (std::size_t j = 0; j < row.size(); ++j)
      r.push_back({static_cast<std::uint16_t>(j), from_f32_literal(row[j])});
    n = std::max(n, row.size());
    weights.push_back(std::move(r));
  }
  const auto got = weighted_median_columns(stake, weights, n, from_f32_literal(c.at("kappa")));
  std::vector<std::int64_t> raws;
  for (i32f32 x : got) raws.push_back(x.raw());
  EXPECT_EQ(raws, c.at("expect_raw").get<std::vector<std::int64_t>>()) << c.dump();
  EXPECT_EQ(raws, c.at("derived_raw").get<std::vector<std::int64_t>>()) << c.dump();
}

TEST(GoldenMedian, MatchesSubtensorVectors) {
  const json cases = load_cases();
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    if (c.at("fn") == "weighted_median")
      check_median_case(c);
    else
      check_column_case(c);
  }
}

// A small deterministic generator (no std distributions: their output differs by library).
struct lcg {
  std::uint64_t s;
  std::uint32_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(s >> 33);
  }
};

// The sparse version keeps voters without an entry as one group; the dense primitive over all
// voters (missing = 0) must agree on every column, including ties and explicit zeros.
TEST(Median, SparseColumnsAgreeWithDense) {
  lcg rng{42};
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t rows = 1 + rng.next() % 9, n = 1 + rng.next() % 7;
    std::vector<i32f32> stake(rows);
    for (auto& s : stake) s = i32f32::from_int(rng.next() % 4);  // some voters have no stake
    fixed_matrix weights(rows);
    for (auto& row : weights)
      for (std::uint16_t j = 0; j < n; ++j)
        if (rng.next() % 3 != 0)  // few distinct levels force ties and explicit zeros
          row.push_back({j, i32f32::from_raw(static_cast<std::int64_t>(rng.next() % 4) << 30)});
    const i32f32 kappa = i32f32::from_raw(static_cast<std::int64_t>(rng.next()));
    const auto sparse = weighted_median_columns(stake, weights, n, kappa);
    std::vector<i32f32> voters;
    for (i32f32 s : stake)
      if (s > i32f32{}) voters.push_back(s);
    i32f32 total;
    for (i32f32 s : voters) total = total + s;
    if (total != i32f32{})
      for (i32f32& s : voters) s = safe_div(s, total);
    total = i32f32{};
    for (i32f32 s : voters) total = total + s;
    for (std::uint16_t j = 0; j < n; ++j) {
      std::vector<i32f32> score;
      for (std::size_t i = 0; i < rows; ++i) {
        if (stake[i] <= i32f32{}) continue;
        i32f32 v;
        for (const auto& e : weights[i])
          if (e.uid == j) v = e.value;
        score.push_back(v);
      }
      EXPECT_EQ(sparse[j], weighted_median(voters, score, total - kappa, i32f32{}, total))
          << "trial " << trial << " column " << j;
    }
  }
}

// Columns long enough for the radix rounds of the selection (more than 32 voters), values
// clustered at several scales, some negative, rows out of order and uids past n: the column
// version must still agree with the dense primitive everywhere, on each instruction set's
// kernels (the medians' column passes run on them).
void long_columns_agree_with_dense();

TEST(Median, LongColumnsAgreeWithDense) {
  for (const char* isa : {"base", "avx2", "avx512"}) {
    if (!detail::use_dense_kernels(isa)) continue;
    SCOPED_TRACE(isa);
    long_columns_agree_with_dense();
  }
  ASSERT_TRUE(detail::use_dense_kernels("best"));
}

void long_columns_agree_with_dense() {
  lcg rng{7};
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t rows = 33 + rng.next() % 200, n = 1 + rng.next() % 6;
    std::vector<i32f32> stake(rows);
    for (auto& s : stake)
      s = rng.next() % 5 == 0 ? i32f32{} : i32f32::from_raw(1 + rng.next() % (trial % 2 ? 100 : 1u << 31));
    const int scale = static_cast<int>(rng.next() % 40);
    fixed_matrix weights(rows);
    for (auto& row : weights) {
      for (std::uint16_t j = 0; j < n + 1; ++j)  // column n is out of range and ignored
        if (rng.next() % 4 != 0) {
          auto v = static_cast<std::int64_t>(rng.next() % 1000) << scale;
          if (trial % 5 == 0 && rng.next() % 3 == 0) v = -v;
          row.push_back({j, i32f32::from_raw(v)});
        }
      if (rng.next() % 2) std::reverse(row.begin(), row.end());
    }
    const i32f32 kappa = i32f32::from_raw(static_cast<std::int64_t>(rng.next()) << 1);
    const auto sparse = weighted_median_columns(stake, weights, n, kappa);
    std::vector<i32f32> voters;
    for (i32f32 s : stake)
      if (s > i32f32{}) voters.push_back(s);
    i32f32 total;
    for (i32f32 s : voters) total = total + s;
    if (total != i32f32{})
      for (i32f32& s : voters) s = safe_div(s, total);
    total = i32f32{};
    for (i32f32 s : voters) total = total + s;
    for (std::uint16_t j = 0; j < n; ++j) {
      std::vector<i32f32> score;
      bool listed = false;
      for (std::size_t i = 0; i < rows; ++i) {
        if (stake[i] <= i32f32{}) continue;
        i32f32 v;
        for (const auto& e : weights[i])
          if (e.uid == j) v = e.value;
        listed = listed || v != i32f32{};
        score.push_back(v);
      }
      // A column nobody scores is 0 (the sparse reference's shortcut, whatever kappa says).
      const i32f32 want =
          listed ? weighted_median(voters, score, total - kappa, i32f32{}, total) : i32f32{};
      EXPECT_EQ(sparse[j], want) << "trial " << trial << " column " << j;
    }
  }
}

}  // namespace
}  // namespace synod::consensus
