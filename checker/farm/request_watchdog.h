// A whole request to the master within its time. Poco's timeouts bound each
// read on a socket, so a master (or anything between) that trickles one byte
// a second, in its headers or its body, would hold a request forever. The
// watchdog shuts the socket down when the request's time is up: the blocked
// read returns and the request fails as timed out.
#pragma once

#include <Poco/Net/Socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace bbcheck {

class RequestWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  // Watches `socket` (a handle sharing the request's socket) until
  // `deadline`. Without a thread to spare, it only says it never fired: each
  // read is still bounded by Poco's timeout.
  RequestWatchdog(const Poco::Net::Socket& socket, Clock::time_point deadline);
  ~RequestWatchdog();
  RequestWatchdog(const RequestWatchdog&) = delete;
  RequestWatchdog& operator=(const RequestWatchdog&) = delete;

  // Whether the time ran out and the socket was shut down.
  bool fired() const { return fired_; }

 private:
  void watch(Clock::time_point deadline);

  Poco::Net::Socket socket_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

}  // namespace bbcheck
