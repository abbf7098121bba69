#include "checker/run/thread_pool.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

namespace bbcheck {

struct ThreadPool::State {
  std::mutex mutex;
  std::condition_variable work;   // a task was queued, or the pool is ending
  std::condition_variable quiet;  // a task finished
  std::deque<std::function<void()>> queue;
  size_t threads = 0;
  size_t idle = 0;  // threads waiting for work
  size_t busy = 0;  // tasks queued or running
  bool ending = false;
};

namespace {

void workerLoop(const std::shared_ptr<ThreadPool::State>& state) {
  std::unique_lock<std::mutex> lock(state->mutex);
  while (true) {
    ++state->idle;
    state->work.wait(lock, [&] { return state->ending || !state->queue.empty(); });
    --state->idle;
    if (state->queue.empty()) break;  // ending, nothing left to do
    std::function<void()> task = std::move(state->queue.front());
    state->queue.pop_front();
    lock.unlock();
    task();          // tasks catch their own exceptions (the scheduler's do)
    task = nullptr;  // release what it captured before reporting quiet
    lock.lock();
    --state->busy;
    state->quiet.notify_all();
  }
  --state->threads;
}

}  // namespace

ThreadPool::ThreadPool() : state_(std::make_shared<State>()) {}

ThreadPool::~ThreadPool() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->ending = true;
  state_->work.notify_all();
}

std::string ThreadPool::tryRun(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->idle <= state_->queue.size()) {
    try {
      std::thread([state = state_] { workerLoop(state); }).detach();
    } catch (const std::system_error& e) {
      return std::string("cannot start a thread: ") + e.code().message();
    }
    ++state_->threads;
  }
  state_->queue.push_back(std::move(task));
  ++state_->busy;
  state_->work.notify_one();
  return "";
}

bool ThreadPool::waitQuiet(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->quiet.wait_for(lock, timeout, [&] { return state_->busy == 0; });
}

size_t ThreadPool::threads() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->threads;
}

}  // namespace bbcheck
