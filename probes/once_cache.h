// Host facts that cost child processes (systemd-detect-virt, `cc -v`), asked
// once per process and shared by every check that needs them: checks run
// concurrently, so a second asker waits for the first one's answer instead
// of starting the same programs again.
#pragma once

#include <unistd.h>

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "probes/probe.h"

namespace bbcheck {

template <typename Key, typename Value>
class OnceCache {
 public:
  // The answer for `key`: computed by `compute(deadline)` for the first
  // asker, shared with the others. An answer `complete(value)` rejects (one
  // cut short by its asker's deadline) is not kept, so an asker with more
  // time asks again. nullopt: another asker's answer was still coming at
  // `deadline`.
  template <typename Compute, typename Complete>
  std::optional<Value> get(const Key& key, Clock::time_point deadline, Compute compute,
                           Complete complete) {
    // A forked child (a test's namespace, chroot) sees another machine: the
    // parent's answers, and its threads that were computing them, are not its.
    std::pair<pid_t, Key> slot{::getpid(), key};
    std::promise<Value> promise;
    std::shared_future<Value> answer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = answers_.find(slot);
      if (it == answers_.end()) {
        answers_.emplace(slot, promise.get_future().share());
      } else {
        answer = it->second;
      }
    }
    if (!answer.valid()) return lead(slot, promise, deadline, compute, complete);
    if (answer.wait_until(deadline) != std::future_status::ready) return std::nullopt;
    Value value = answer.get();
    if (complete(value)) return value;
    return compute(deadline);  // the first asker ran out of time; we may not have
  }

 private:
  template <typename Compute, typename Complete>
  Value lead(const std::pair<pid_t, Key>& slot, std::promise<Value>& promise,
             Clock::time_point deadline, Compute& compute, Complete& complete) {
    try {
      Value value = compute(deadline);
      promise.set_value(value);
      if (!complete(value)) forget(slot);
      return value;
    } catch (...) {
      promise.set_exception(std::current_exception());
      forget(slot);
      throw;
    }
  }

  void forget(const std::pair<pid_t, Key>& slot) {
    std::lock_guard<std::mutex> lock(mutex_);
    answers_.erase(slot);
  }

  std::mutex mutex_;
  std::map<std::pair<pid_t, Key>, std::shared_future<Value>> answers_;
};

}  // namespace bbcheck
