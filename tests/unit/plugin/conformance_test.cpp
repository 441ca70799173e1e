#include <gtest/gtest.h>

#include "plugin_paths.hpp"
#include "synod/plugin/conformance.hpp"
#include "synod/sdk/payload.hpp"

namespace synod::plugin::testing {
namespace {

const conformance_check* find(const conformance_report& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return &c;
  return nullptr;
}

TEST(PluginConformance, AWellBehavedPluginPasses) {
  auto r = check_conformance(paths::sum_v1);
  EXPECT_TRUE(r.passed()) << to_text(r);
  EXPECT_EQ(r.checks.size(), 5u);
  EXPECT_NE(to_text(r).find("conformant: 5 checks passed"), std::string::npos);
}

TEST(PluginConformance, EachFaultFailsItsOwnCheck) {
  auto garbage = check_conformance(paths::raw_garbage);
  EXPECT_FALSE(garbage.passed());
  ASSERT_TRUE(find(garbage, "loads"));
  EXPECT_TRUE(find(garbage, "loads")->passed);
  EXPECT_FALSE(find(garbage, "calls succeed and are deterministic")->passed);
  EXPECT_NE(find(garbage, "malformed requests are refused")->detail.find("empty buffer gave SYNOD_OK"),
            std::string::npos);

  conformance_options slow;
  slow.seeds = 1;
  slow.garbage_inputs = 20;
  slow.load.options = {{"sleep_ms", "600"}};
  auto r = check_conformance(paths::sum_v1, slow);
  EXPECT_NE(find(r, "calls succeed and are deterministic")->detail.find("deadline_exceeded"), std::string::npos);
  // A slow refusal is still too slow.
  EXPECT_NE(find(r, "random payloads are refused or answered")->detail.find("deadline_exceeded"), std::string::npos);

  auto missing = check_conformance("/nonexistent/plugin.so");
  ASSERT_EQ(missing.checks.size(), 1u);
  EXPECT_FALSE(missing.passed());
  EXPECT_NE(missing.checks[0].detail.find("cannot_open"), std::string::npos);
}

TEST(SdkPayload, ReadsBackWhatWasWrittenAndRefusesShortOrLongPayloads) {
  const std::vector<double> xs = {1.5, -2.25, 1e300};
  auto bytes = sdk::payload_writer().u32(7).f64s(xs).u64(~0ULL).take();
  EXPECT_EQ(bytes.size(), 4u + 4 + 8 * 3 + 8);
  sdk::payload_reader in(bytes, "task");
  EXPECT_EQ(in.u32(), 7u);
  EXPECT_EQ(in.f64s(16), xs);
  EXPECT_EQ(in.u64(), ~0ULL);
  EXPECT_NO_THROW(in.end());

  sdk::payload_reader too_many(bytes, "task");
  too_many.u32();
  EXPECT_THROW(too_many.f64s(2), sdk::bad_request);  // 3 values, at most 2
  bytes.pop_back();
  sdk::payload_reader short_one(bytes, "answer");
  short_one.u32();
  short_one.f64s(16);
  try {
    short_one.u64();
    ADD_FAILURE() << "read past the end";
  } catch (const sdk::bad_request& e) {
    EXPECT_NE(std::string(e.what()).find("answer ends at byte 39, a u64 was expected at byte 32"), std::string::npos) << e.what();
  }
  sdk::payload_reader left_over(bytes, "task");
  left_over.u32();
  EXPECT_THROW(left_over.end(), sdk::bad_request);
}

}  // namespace
}  // namespace synod::plugin::testing
