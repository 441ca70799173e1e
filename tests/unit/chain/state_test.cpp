#include "synod/chain/state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace synod::chain {
namespace {

bytes b(std::string_view s) { return bytes(s.begin(), s.end()); }

TEST(StateDigest, IndependentOfWriteOrder) {
  std::vector<std::pair<bytes, bytes>> writes;
  for (int i = 0; i < 50; ++i) writes.emplace_back(b("key" + std::to_string(i)), b("v" + std::to_string(i * 7)));
  std::mt19937 rng(42);
  hash32 first;
  for (int round = 0; round < 5; ++round) {
    std::shuffle(writes.begin(), writes.end(), rng);
    memory_state s;
    overlay o(s);
    for (const auto& [k, v] : writes) o.put(k, v);
    s.apply(o.diff());
    if (round == 0) first = s.digest();
    EXPECT_EQ(s.digest(), first);
    EXPECT_EQ(o.digest(), first);
  }
  EXPECT_FALSE(first.is_zero());
}

TEST(StateDigest, DeletingAndRewritingReturnsToTheSameDigest) {
  memory_state s;
  EXPECT_TRUE(s.digest().is_zero());
  overlay o(s);
  o.put(b("a"), b("1"));
  o.put(b("b"), b("2"));
  auto with_both = o.digest();
  o.put(b("a"), b("changed"));
  EXPECT_NE(o.digest(), with_both);
  o.put(b("a"), b("1"));
  EXPECT_EQ(o.digest(), with_both);
  o.erase(b("a"));
  o.erase(b("b"));
  EXPECT_TRUE(o.digest().is_zero());
}

TEST(StateDigest, KeyValueBoundaryMatters) {
  // ("ab", "c") and ("a", "bc") must not collide: the key length is hashed.
  memory_state s1, s2;
  overlay o1(s1), o2(s2);
  o1.put(b("ab"), b("c"));
  o2.put(b("a"), b("bc"));
  EXPECT_NE(o1.digest(), o2.digest());
}

TEST(Overlay, ReadsThroughAndMergesChildWrites) {
  memory_state s;
  {
    overlay o(s);
    o.put(b("x"), b("1"));
    s.apply(o.diff());
  }
  overlay parent(s);
  EXPECT_EQ(*parent.get(b("x")), b("1"));
  parent.put(b("z"), b("3"));
  auto child = overlay::over(parent);
  EXPECT_EQ(*child.get(b("z")), b("3"));  // reads through to the parent's writes
  child.put(b("y"), b("2"));
  child.erase(b("x"));
  EXPECT_EQ(child.diff().size(), 2u);  // its own writes only, not a copy of the parent's
  EXPECT_FALSE(parent.get(b("y")));  // not merged yet
  parent.merge(child);
  EXPECT_FALSE(parent.get(b("x")));
  EXPECT_EQ(*parent.get(b("y")), b("2"));
  EXPECT_EQ(parent.digest(), child.digest());
  s.apply(parent.diff());
  EXPECT_EQ(s.digest(), parent.digest());
  EXPECT_EQ(s.size(), 2u);  // y and z
}

}  // namespace
}  // namespace synod::chain
