#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "plugin_paths.hpp"
#include "synod/plugin/errc.hpp"
#include "synod/plugin/slot.hpp"

namespace synod::plugin::testing {
namespace {

namespace fs = std::filesystem;

// The private copies of plugins still mapped into this process.
std::set<std::string> mapped_copies(const fs::path& dir) {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> out;
  for (std::string line; std::getline(maps, line);) {
    auto at = line.find(dir.string());
    if (at != std::string::npos) out.insert(line.substr(at));
  }
  return out;
}

class PluginSwap : public ::testing::Test {
 protected:
  void SetUp() override {
    opts_.private_dir = fs::temp_directory_path() / ("synod-swap-test-" + std::to_string(::getpid()));
  }
  void TearDown() override { fs::remove_all(opts_.private_dir); }

  std::shared_ptr<const plugin> load(const char* file) {
    auto p = plugin::load(file, opts_);
    EXPECT_TRUE(p) << p.error().to_string();
    return p ? *p : nullptr;
  }

  load_options opts_;
};

TEST_F(PluginSwap, ManyThreadsSeeNoFailedOrMixedCallsAcrossTwentySwaps) {
  constexpr int threads = 4, swaps = 20;
  constexpr std::uint64_t min_calls = 10'000;
  slot s(load(paths::sum_v1));
  std::atomic<std::uint64_t> calls{0}, failed{0}, mixed{0};
  std::atomic<std::uint64_t> served[3] = {0, 0, 0};  // by major version
  std::atomic<bool> swapping_done{false};

  auto worker = [&](std::uint64_t seed) {
    while (!swapping_done || calls < min_calls) {
      // One piece of work = three calls on the version taken at its start.
      auto p = s.current();
      const auto major = static_cast<std::uint8_t>(p->manifest().version[0] - '0');
      auto c = p->challenge(seed++);
      auto a = c ? p->answer(c->task) : result<bytes>(error(errc::call_failed, "no challenge"));
      auto sc = a ? p->score(c->task, c->reference, *a) : result<double>(error(errc::call_failed, "no answer"));
      if (!sc) {
        ++failed;
      } else if (c->task[0] != major || (*a)[0] != major || *sc != 1.0) {
        ++mixed;  // some part ran on another version
      } else {
        ++served[major];
      }
      ++calls;
    }
  };
  std::vector<std::jthread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker, static_cast<std::uint64_t>(t) << 32);

  for (int i = 1; i <= swaps; ++i) {
    // Spread the swaps over the run: wait until this share of the calls is done.
    while (calls < min_calls * static_cast<std::uint64_t>(i) / (swaps + 1)) std::this_thread::yield();
    s.swap(load(i % 2 ? paths::sum_v2 : paths::sum_v1));
  }
  swapping_done = true;
  pool.clear();  // joins

  EXPECT_EQ(s.swaps(), static_cast<std::uint64_t>(swaps));
  EXPECT_GE(calls.load(), min_calls);
  EXPECT_EQ(failed.load(), 0u);
  EXPECT_EQ(mixed.load(), 0u);
  EXPECT_GT(served[1].load(), 0u);
  EXPECT_GT(served[2].load(), 0u);
  EXPECT_EQ(served[1] + served[2], calls.load());
  // Twenty-one versions were loaded; with nobody holding the old ones, only the current one
  // is still mapped.
  EXPECT_EQ(mapped_copies(opts_.private_dir).size(), 1u);
}

TEST_F(PluginSwap, AnOldVersionUnloadsWhenItsLastUserLetsGo) {
  slot s(load(paths::sum_v1));
  auto in_flight = s.current();  // a call still running on v1
  s.swap(load(paths::sum_v2));
  EXPECT_EQ(mapped_copies(opts_.private_dir).size(), 2u);
  // The old version still answers the work that started on it.
  auto c = in_flight->challenge(3);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->task[0], 1);
  EXPECT_EQ(s.current()->challenge(3)->task[0], 2);
  in_flight.reset();
  EXPECT_EQ(mapped_copies(opts_.private_dir).size(), 1u);
  // No copy is left on disk either: each was removed once loaded.
  EXPECT_TRUE(fs::is_empty(opts_.private_dir));
}

}  // namespace
}  // namespace synod::plugin::testing
