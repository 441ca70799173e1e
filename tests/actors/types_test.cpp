// Every type in Synod's CAF type-ID block survives CAF's binary serialisation, so it can cross
// the middleman between nodes; and the block itself has the entries the actors rely on.

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include <gtest/gtest.h>

#include "actors/system/system.hpp"
#include "actors/system/types.hpp"

namespace synod::actors {
namespace {

class CafTypes : public ::testing::Test {
 public:
  CafTypes() : sys(cfg_with_types()) {}

  template <class T>
  T round_trip(T value) {
    std::vector<char> buf;
    caf::binary_serializer sink{sys, buf};
    EXPECT_FALSE(sink(value));
    T back{};
    caf::binary_deserializer source{sys, buf};
    EXPECT_FALSE(source(back));
    EXPECT_EQ(source.remaining(), 0u);
    return back;
  }

 private:
  static caf::actor_system_config& cfg_with_types() {
    static caf::actor_system_config cfg;
    static bool once = (configure(cfg, 1), true);
    (void)once;
    return cfg;
  }

 public:
  caf::actor_system sys;
};

TEST_F(CafTypes, EveryRegisteredTypeRoundTrips) {
  bytes b{0, 1, 2, 255};
  EXPECT_EQ(round_trip(b), b);
  bytes_list list{{}, {7}, bytes(300, 9)};
  EXPECT_EQ(round_trip(list), list);
  submit_result ok{"", "", bytes(32, 0xab)};
  submit_result refused{"chain.nonce_too_low", "nonce 0 already used, next is 1", {}};
  EXPECT_EQ(round_trip(ok), ok);
  EXPECT_EQ(round_trip(refused), refused);
  submit_results many{ok, refused};
  auto back = round_trip(many);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0], ok);
  EXPECT_EQ(back[1], refused);
}

TEST_F(CafTypes, TheBlockHoldsEveryMessageType) {
  // Append-only: a reordering would silently change the ids other nodes expect.
  constexpr auto first = caf::id_block::synod::begin;
  EXPECT_EQ(caf::type_id<bytes>::value, first);
  EXPECT_EQ(caf::type_id<bytes_list>::value, first + 1);
  EXPECT_EQ(caf::type_id<submit_result>::value, first + 2);
  EXPECT_EQ(caf::type_id<submit_results>::value, first + 3);
  EXPECT_EQ(caf::id_block::synod::end, first + 4);
}

}  // namespace
}  // namespace synod::actors
