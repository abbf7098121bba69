#include "checker/run/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace bbcheck {
namespace {

using namespace std::chrono_literals;

TEST(ThreadPool, RunsEveryTaskAndReusesThreads) {
  ThreadPool pool;
  std::atomic<int> ran{0};
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(pool.tryRun([&ran] { ++ran; }), "");
    // One at a time: an idle thread is always there to take the next.
    ASSERT_TRUE(pool.waitQuiet(10s));
  }
  EXPECT_EQ(ran.load(), 200);
  EXPECT_LE(pool.threads(), 3u);  // not one thread per task
}

TEST(ThreadPool, ABusyTaskDoesNotHoldUpTheNext) {
  ThreadPool pool;
  std::atomic<bool> release{false};
  std::atomic<bool> second{false};
  ASSERT_EQ(pool.tryRun([&release] {
    while (!release) std::this_thread::sleep_for(1ms);
  }),
            "");
  ASSERT_EQ(pool.tryRun([&second] { second = true; }), "");
  for (int i = 0; i < 10000 && !second; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(second.load());
  EXPECT_FALSE(pool.waitQuiet(10ms));  // the first still runs
  release = true;
  EXPECT_TRUE(pool.waitQuiet(10s));
}

}  // namespace
}  // namespace bbcheck
