#include "synod/chain/state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace synod::chain {
namespace {

bytes b(std::string_view s) { return bytes(s.begin(), s.end()); }

// A memory state holding `entries`, written through an overlay as a block would.
memory_state state_with(const std::vector<std::pair<std::string, std::string>>& entries) {
  memory_state s;
  overlay o(s);
  for (const auto& [k, v] : entries) o.put(b(k), b(v));
  s.apply(o.diff());
  return s;
}

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
  memory_state s = state_with({{"x", "1"}});
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
  s.apply(parent.diff());
  EXPECT_EQ(s.digest(), parent.digest());
  EXPECT_EQ(s.size(), 2u);  // y and z
}

// A base that counts its reads.
class counting_state final : public state_view {
 public:
  explicit counting_state(const state_view& inner) : inner_(inner) {}
  std::optional<bytes> get(byte_view key) const override {
    ++reads;
    return inner_.get(key);
  }
  hash32 digest() const override { return inner_.digest(); }
  mutable int reads = 0;

 private:
  const state_view& inner_;
};

TEST(Overlay, ReadsEachBaseKeyOnce) {
  memory_state s = state_with({{"a", "1"}});
  counting_state base(s);
  overlay o(base);
  EXPECT_EQ(*o.get(b("a")), b("1"));
  EXPECT_FALSE(o.get(b("missing")));
  EXPECT_EQ(*o.get(b("a")), b("1"));
  EXPECT_FALSE(o.get(b("missing")));  // an absent key is remembered too
  o.put(b("a"), b("2"));              // its old value (for the digest) is known already
  auto child = overlay::over(o);
  child.put(b("a"), b("3"));
  o.merge(child);
  EXPECT_EQ(base.reads, 2);
  EXPECT_EQ(*o.get(b("a")), b("3"));
}

// The digest settled once at the end equals the one settled after every write, whatever
// mix of writes, erases, discards and merges led there.
TEST(Overlay, DigestSettledLateEqualsDigestSettledAtEveryStep) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 20; ++i) entries.emplace_back("k" + std::to_string(i), "v" + std::to_string(i));
  memory_state s = state_with(entries);
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    overlay late(s), eager(s);
    for (int step = 0; step < 60; ++step) {
      auto key = b("k" + std::to_string(rng() % 30));
      auto value = b("w" + std::to_string(rng() % 5));
      switch (rng() % 4) {
        case 0: late.put(key, value); eager.put(key, value); break;
        case 1: late.erase(key); eager.erase(key); break;
        case 2: late.discard(key); eager.discard(key); break;
        default: {
          auto c1 = overlay::over(late), c2 = overlay::over(eager);
          c1.put(key, value);
          c2.put(key, value);
          late.merge(c1);
          eager.merge(c2);
        }
      }
      (void)eager.digest();
    }
    memory_state applied = s;
    applied.apply(late.diff());
    EXPECT_EQ(late.digest(), eager.digest());
    EXPECT_EQ(late.digest(), applied.digest());
  }
}

TEST(Overlay, AbsorbAfterDiscardCountsTheAbsorbedValueOnce) {
  memory_state s = state_with({{"t", "0"}});
  // A slice's writes over s, with their delta.
  overlay slice(s);
  slice.put(b("a"), b("1"));
  slice.put(b("t"), b("9"));
  const auto delta = state_digest::delta(slice.digest(), s.digest());
  overlay block(s);
  block.put(b("t"), b("5"));
  block.discard(b("t"));  // written then forgotten: unsettled, not in the diff
  ASSERT_TRUE(block.absorb(slice.diff(), delta));
  memory_state applied = s;
  applied.apply(block.diff());
  EXPECT_EQ(block.digest(), applied.digest());
  EXPECT_FALSE(block.absorb(slice.diff(), delta));  // the keys are written here now
}

}  // namespace
}  // namespace synod::chain
