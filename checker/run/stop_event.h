// A request to stop a run that a signal handler raises and the executor
// waits for as an event, not by looking at a flag on a timer.
//
// A signal handler may only do what is async-signal-safe: it cannot lock a
// mutex or notify a condition variable. So the event is a flag and a
// self-pipe: raise() stores the flag and writes one byte (both safe in a
// handler). A StopWatcher thread blocks in poll(2) on the pipe and, once it
// is readable, calls back (the executor then notifies its own condition
// variable, under its mutex).
//
// Once raised, the event stays raised and its pipe stays readable (nobody
// reads the byte): every watcher sees it, also one started after the signal
// came (a run interrupted before its executor started).
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace bbcheck {

class StopEvent {
 public:
  // Without a pipe (out of descriptors) the flag still works, but no
  // watcher can wait for it (waitFd() is -1).
  StopEvent();
  ~StopEvent();
  StopEvent(const StopEvent&) = delete;
  StopEvent& operator=(const StopEvent&) = delete;

  // Raises the event for `signal` (0 when no signal asked). Async-signal-
  // safe. The first raise's signal is kept; later ones change nothing.
  void raise(int signal) noexcept;

  bool raised() const noexcept { return raised_.load(); }
  // The signal of the first raise, or 0.
  int signal() const noexcept { return signal_.load(); }

  // Readable (POLLIN) from the first raise on. Poll it; never read it.
  int waitFd() const noexcept { return pipe_[0]; }

 private:
  std::atomic<bool> raised_{false};
  std::atomic<int> signal_{0};
  int pipe_[2] = {-1, -1};
};

// A thread that waits for `event` and calls `onStop` once when it is raised
// (at once when it already is). Destroying the watcher ends its thread
// whether or not the event came.
class StopWatcher {
 public:
  // Throws std::system_error when no thread or pipe can be had, or the
  // event has no pipe: the caller then looks at raised() itself.
  StopWatcher(const StopEvent& event, std::function<void()> onStop);
  ~StopWatcher();
  StopWatcher(const StopWatcher&) = delete;
  StopWatcher& operator=(const StopWatcher&) = delete;

 private:
  void watch(int eventFd);

  std::function<void()> on_stop_;
  int quit_[2] = {-1, -1};  // written by the destructor to end the thread
  std::thread thread_;
};

}  // namespace bbcheck
