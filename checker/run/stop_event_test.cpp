#include "checker/run/stop_event.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <csignal>
#include <future>

namespace bbcheck {
namespace {

// A bound that only a hang exceeds: a watcher that works calls back at once.
constexpr std::chrono::seconds kHang{60};

bool readable(const StopEvent& event) {
  pollfd fd{event.waitFd(), POLLIN, 0};
  return ::poll(&fd, 1, 0) == 1 && (fd.revents & POLLIN);
}

TEST(StopEvent, StaysRaisedAndKeepsTheFirstSignal) {
  StopEvent event;
  EXPECT_FALSE(event.raised());
  EXPECT_EQ(event.signal(), 0);
  EXPECT_FALSE(readable(event));
  event.raise(SIGTERM);
  event.raise(SIGINT);
  EXPECT_TRUE(event.raised());
  EXPECT_EQ(event.signal(), SIGTERM);
  // Readable for every waiter, however many look.
  EXPECT_TRUE(readable(event));
  EXPECT_TRUE(readable(event));
}

TEST(StopEvent, AWatcherCallsBackWhenTheEventIsRaised) {
  StopEvent event;
  std::promise<void> called;
  StopWatcher watcher(event, [&called] { called.set_value(); });
  std::thread raiser([&event] { event.raise(SIGINT); });
  raiser.join();
  EXPECT_EQ(called.get_future().wait_for(kHang), std::future_status::ready);
}

TEST(StopEvent, AWatcherOfAnEventAlreadyRaisedCallsBackAtOnce) {
  StopEvent event;
  event.raise(SIGHUP);
  std::promise<void> called;
  StopWatcher watcher(event, [&called] { called.set_value(); });
  EXPECT_EQ(called.get_future().wait_for(kHang), std::future_status::ready);
}

TEST(StopEvent, AWatcherEndsWithoutTheEvent) {
  StopEvent event;
  int calls = 0;
  {
    StopWatcher watcher(event, [&calls] { ++calls; });
  }
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(event.raised());
}

}  // namespace
}  // namespace bbcheck
