// The state cache in front of RocksDB: a snapshot sees through it exactly what RocksDB holds
// at the snapshot's height, whatever blocks commit meanwhile.

#include "store/state_cache.hpp"

#include <gtest/gtest.h>

namespace synod::store::detail {
namespace {

bytes b(std::string_view s) { return bytes(s.begin(), s.end()); }

chain::state_diff writes(std::initializer_list<std::pair<const char*, const char*>> kv) {
  chain::state_diff d;
  for (const auto& [k, v] : kv) d.emplace(b(k), v ? std::optional<bytes>(b(v)) : std::nullopt);
  return d;
}

TEST(StateCache, AWriteHidesTheNewValueFromOlderSnapshots) {
  state_cache c(0, 100);
  c.commit(writes({{"a", "1"}}), 1);
  EXPECT_EQ(c.find(b("a"), 1), std::optional<std::optional<bytes>>(b("1")));
  EXPECT_EQ(c.find(b("a"), 0), std::nullopt);  // at height 0 "a" may have held anything
  c.commit(writes({{"a", "2"}}), 2);
  EXPECT_EQ(c.find(b("a"), 1), std::nullopt);  // snapshot 1 must read "1" from RocksDB
  EXPECT_EQ(c.find(b("a"), 2), std::optional<std::optional<bytes>>(b("2")));
  EXPECT_EQ(c.find(b("a"), 7), std::optional<std::optional<bytes>>(b("2")));
  c.commit(writes({{"a", nullptr}}), 3);  // deleted: known absent
  EXPECT_EQ(c.find(b("a"), 3), std::optional<std::optional<bytes>>(std::optional<bytes>{}));
}

TEST(StateCache, KeepsReadsOnlyFromTheNewestSnapshot) {
  state_cache c(5, 100);
  c.remember(b("x"), 4, b("old"));  // an older snapshot's read: a newer block may have changed x
  EXPECT_EQ(c.find(b("x"), 5), std::nullopt);
  c.remember(b("x"), 5, b("v"));
  c.remember(b("gone"), 5, std::nullopt);
  EXPECT_EQ(c.find(b("x"), 5), std::optional<std::optional<bytes>>(b("v")));
  EXPECT_EQ(c.find(b("x"), 4), std::nullopt);
  EXPECT_EQ(c.find(b("gone"), 6), std::optional<std::optional<bytes>>(std::optional<bytes>{}));
  c.commit(writes({{"y", "1"}}), 6);
  c.remember(b("z"), 5, b("late"));  // read at 5 but 6 committed meanwhile
  EXPECT_EQ(c.find(b("z"), 6), std::nullopt);
}

TEST(StateCache, StartsOverWhenFull) {
  state_cache c(0, 3);
  c.commit(writes({{"a", "1"}, {"b", "1"}}), 1);
  c.remember(b("c"), 1, b("1"));
  c.remember(b("d"), 1, b("1"));  // full: not kept
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.find(b("d"), 1), std::nullopt);
  c.commit(writes({{"e", "2"}}), 2);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.find(b("a"), 2), std::nullopt);  // forgotten, so read from RocksDB again
  EXPECT_EQ(c.find(b("e"), 2), std::optional<std::optional<bytes>>(b("2")));
}

}  // namespace
}  // namespace synod::store::detail
