#include "checker/run/stop_event.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace bbcheck {
namespace {

// A pipe whose ends are closed on exec (probes start programs) and whose
// write end never blocks (a signal handler writes to it). False, with
// errno, when none can be made (out of descriptors).
bool makePipe(int fds[2]) {
  if (::pipe(fds) != 0) return false;
  for (int i = 0; i < 2; ++i) ::fcntl(fds[i], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  return true;
}

void closePipe(int fds[2]) {
  for (int i = 0; i < 2; ++i)
    if (fds[i] >= 0) ::close(fds[i]);
}

}  // namespace

StopEvent::StopEvent() {
  if (!makePipe(pipe_)) pipe_[0] = pipe_[1] = -1;
}

StopEvent::~StopEvent() {
  closePipe(pipe_);
}

void StopEvent::raise(int signal) noexcept {
  int none = 0;
  signal_.compare_exchange_strong(none, signal);
  // The flag first: whoever the byte wakes finds it set. One byte only, so
  // the pipe never fills however many signals come.
  if (raised_.exchange(true) || pipe_[1] < 0) return;
  char byte = 1;
  while (::write(pipe_[1], &byte, 1) < 0 && errno == EINTR) {
  }
}

StopWatcher::StopWatcher(const StopEvent& event, std::function<void()> onStop)
    : on_stop_(std::move(onStop)) {
  if (event.waitFd() < 0) throw std::system_error(EBADF, std::generic_category(), "stop event");
  if (!makePipe(quit_)) throw std::system_error(errno, std::generic_category(), "pipe");
  try {
    thread_ = std::thread(&StopWatcher::watch, this, event.waitFd());
  } catch (...) {
    closePipe(quit_);
    throw;
  }
}

StopWatcher::~StopWatcher() {
  char byte = 1;
  while (::write(quit_[1], &byte, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  closePipe(quit_);
}

void StopWatcher::watch(int eventFd) {
  pollfd fds[2] = {{eventFd, POLLIN, 0}, {quit_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;  // a signal, perhaps the very one awaited
      return;
    }
    if (fds[0].revents & POLLIN) {
      on_stop_();
      return;
    }
    if (fds[0].revents != 0 || fds[1].revents != 0) return;
  }
}

}  // namespace bbcheck
