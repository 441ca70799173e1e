// The node's verification threads: every item of every batch runs once, each batch's `done`
// runs once after all its items, and batches from several submitters interleave safely.

#include "actors/ledger_shard/verify_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <new>
#include <thread>
#include <vector>

namespace synod::actors {
namespace {

TEST(VerifyPool, RunsEveryItemOnceThenDoneOnce) {
  verify_pool pool(3);
  EXPECT_EQ(pool.threads(), 3u);
  for (std::size_t n : {1u, 2u, 17u, 500u}) {
    std::vector<std::atomic<int>> seen(n);
    std::atomic<int> dones{0};
    std::promise<std::size_t> finished;
    pool.run(
        n, [&](std::size_t i) { ++seen[i]; },
        [&] {
          std::size_t all = 0;
          for (auto& s : seen) all += static_cast<std::size_t>(s.load());
          ++dones;
          finished.set_value(all);  // every item had run when done was called
        });
    EXPECT_EQ(finished.get_future().get(), n);
    for (auto& s : seen) EXPECT_EQ(s.load(), 1);
    EXPECT_EQ(dones.load(), 1);
  }
}

TEST(VerifyPool, AnItemThatThrowsLeavesTheOthersAndDone) {
  verify_pool pool(2);
  constexpr std::size_t n = 40;
  std::vector<std::atomic<int>> seen(n);
  std::promise<void> finished;
  pool.run(
      n,
      [&](std::size_t i) {
        ++seen[i];
        if (i % 7 == 3) throw std::bad_alloc();
      },
      [&] { finished.set_value(); });
  ASSERT_EQ(finished.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
  for (auto& s : seen) EXPECT_EQ(s.load(), 1);
  // The threads survived: the next batch runs too.
  std::promise<void> again;
  pool.run(3, [](std::size_t) {}, [&] { again.set_value(); });
  EXPECT_EQ(again.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
}

TEST(VerifyPool, AnEmptyBatchIsDoneAtOnce) {
  verify_pool pool(2);
  bool done = false;
  pool.run(0, [](std::size_t) { FAIL() << "no item to run"; }, [&] { done = true; });
  EXPECT_TRUE(done);
}

TEST(VerifyPool, BatchesFromSeveralThreadsAllFinish) {
  verify_pool pool(2);
  constexpr int submitters = 4, batches = 50;
  std::atomic<long> items{0};
  std::atomic<int> dones{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < submitters; ++t)
    ts.emplace_back([&, t] {
      for (int b = 0; b < batches; ++b)
        pool.run(static_cast<std::size_t>(1 + (t * 7 + b) % 40), [&](std::size_t) { ++items; }, [&] { ++dones; });
    });
  for (auto& t : ts) t.join();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (dones < submitters * batches && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(dones.load(), submitters * batches);
  long expected = 0;
  for (int t = 0; t < submitters; ++t)
    for (int b = 0; b < batches; ++b) expected += 1 + (t * 7 + b) % 40;
  EXPECT_EQ(items.load(), expected);
}

TEST(VerifyPool, StoppingDropsBatchesNotStarted) {
  std::atomic<int> ran{0}, dones{0};
  std::promise<void> release;
  std::thread opener;
  {
    verify_pool pool(1);
    auto gate = release.get_future().share();
    std::promise<void> started;
    pool.run(1, [&, gate](std::size_t) { started.set_value(); gate.wait(); ++ran; }, [&] { ++dones; });
    started.get_future().wait();  // the pool's one thread is held
    for (int b = 0; b < 10; ++b) pool.run(5, [&](std::size_t) { ++ran; }, [&] { ++dones; });
    opener = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the destructor is waiting by then
      release.set_value();
    });
  }  // the destructor waits for the item in progress and drops the batches behind it
  opener.join();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(dones.load(), 1);
}

}  // namespace
}  // namespace synod::actors
