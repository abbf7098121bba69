#include "probes/network/socket_deadline.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <system_error>
#include <thread>

namespace bbcheck {

struct SocketDeadline::State {
  std::mutex mutex;
  std::condition_variable cancelled;
  int fd = -1;  // our own duplicate: the socket outlives the owner's close
  Clock::time_point deadline;
  bool done = false;   // the owner no longer needs the watch
  bool fired = false;  // the socket was shut down at the deadline
};

SocketDeadline::SocketDeadline(int fd, Clock::time_point deadline)
    : state_(std::make_shared<State>()) {
  // A duplicate, so that the descriptor shut down is never one the owner
  // closed and the system gave to someone else meanwhile.
  state_->fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  state_->deadline = deadline;
  if (state_->fd < 0) return;  // out of descriptors: the socket timeouts still apply
  try {
    std::thread([state = state_] {
      std::unique_lock<std::mutex> lock(state->mutex);
      if (!state->cancelled.wait_until(lock, state->deadline, [&] { return state->done; })) {
        ::shutdown(state->fd, SHUT_RDWR);
        state->fired = true;
      }
      ::close(state->fd);
    }).detach();
  } catch (const std::system_error&) {
    ::close(state_->fd);  // no thread: the socket timeouts are all there is
  }
}

SocketDeadline::~SocketDeadline() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->done = true;
  state_->cancelled.notify_all();
}

bool SocketDeadline::fired() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->fired;
}

}  // namespace bbcheck
