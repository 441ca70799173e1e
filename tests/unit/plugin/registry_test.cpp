// The node's plugin slots: installs that fail leave a slot as it was, and a plugin that does
// not return from loading costs the caller only the load deadline.

#include "synod/plugin/registry.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "plugin_paths.hpp"
#include "synod/plugin/errc.hpp"

namespace synod::plugin::testing {
namespace {

namespace fs = std::filesystem;

class Registry : public ::testing::Test {
 protected:
  Registry() { opts.private_dir = fs::temp_directory_path() / ("synod-registry-test-" + std::to_string(::getpid())); }
  ~Registry() override { fs::remove_all(opts.private_dir); }
  load_options opts;
};

TEST_F(Registry, FailedInstallsLeaveTheSlotAsItWas) {
  registry r(opts);
  ASSERT_TRUE(r.install("sum", paths::sum_v1));
  auto wrong_hash = r.install("sum", paths::sum_v2, hash32{});
  ASSERT_FALSE(wrong_hash);
  EXPECT_EQ(wrong_hash.error().code(), static_cast<int>(errc::hash_mismatch));
  auto other_plugin = r.install("sum", paths::raw_garbage);
  ASSERT_FALSE(other_plugin);
  EXPECT_EQ(other_plugin.error().code(), static_cast<int>(errc::bad_manifest));
  EXPECT_FALSE(r.install("Bad Slot", paths::sum_v2));
  EXPECT_EQ(r.current("sum")->manifest().version, "1.0.0");
  auto swapped = r.install("sum", paths::sum_v2);
  ASSERT_TRUE(swapped) << swapped.error().to_string();
  EXPECT_EQ(swapped->old_version, "1.0.0");
  EXPECT_EQ(r.current("sum")->manifest().version, "2.0.0");
}

TEST_F(Registry, ALoadPastTheDeadlineFailsAtTheDeadlineAndChangesNothing) {
  registry r(opts, std::chrono::milliseconds(200));
  ASSERT_TRUE(r.install("raw", paths::raw_garbage));
  const auto start = std::chrono::steady_clock::now();
  auto slow = r.install("raw", paths::raw_slow_create);  // its factory takes 3 s
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code(), static_cast<int>(errc::deadline_exceeded)) << slow.error().to_string();
  EXPECT_NE(slow.error().message().find("took over 200 ms"), std::string::npos) << slow.error().message();
  EXPECT_LT(waited, std::chrono::seconds(2));  // did not wait for the factory
  EXPECT_EQ(r.current("raw")->file().filename(), fs::path(paths::raw_garbage).filename());
  EXPECT_TRUE(r.install("raw", paths::raw_garbage));  // still usable
}

}  // namespace
}  // namespace synod::plugin::testing
