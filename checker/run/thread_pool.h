// The threads probes run on. A thread is started only when no idle one is
// waiting, and kept for the next probe: a run of many checks pays for a few
// threads, not one per check. A probe abandoned at its timeout keeps its
// thread until it returns; the pool simply starts another.
//
// Threads are detached and share the pool's state, so a pool may be
// destroyed while an abandoned probe still runs: idle threads then end, and
// busy ones end when their task returns.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace bbcheck {

class ThreadPool {
 public:
  ThreadPool();
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs `task` on an idle thread or a new one. Returns "" when it will run,
  // else why no thread could take it (the system refused a new thread, e.g.
  // RLIMIT_NPROC), and the task is dropped.
  std::string tryRun(std::function<void()> task);

  // Waits until no task is running or queued, or until `timeout`; true when
  // the pool is quiet.
  bool waitQuiet(std::chrono::milliseconds timeout);

  size_t threads() const;  // started and not yet ended

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace bbcheck
