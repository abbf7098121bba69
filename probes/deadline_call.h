// Runs a blocking call that has no timeout of its own (getaddrinfo, the
// libresolv query functions) so that the caller stops waiting at a deadline.
// The call continues in a detached thread and its result is dropped: the
// thread owns everything it touches, so it may safely outlive the caller.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "probes/probe.h"

namespace bbcheck {

// The call's result, or nullopt when the deadline passed first. `call` must
// capture by value only.
template <typename T>
std::optional<T> callWithDeadline(std::function<T()> call, Clock::time_point deadline) {
  struct Shared {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<T> result;
  };
  auto shared = std::make_shared<Shared>();
  std::thread([shared, call = std::move(call)] {
    T value = call();
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->result = std::move(value);
    shared->done.notify_all();
  }).detach();
  std::unique_lock<std::mutex> lock(shared->mutex);
  shared->done.wait_until(lock, deadline, [&] { return shared->result.has_value(); });
  return std::move(shared->result);
}

}  // namespace bbcheck
