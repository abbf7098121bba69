#include "checker/farm/request_watchdog.h"

#include <sys/socket.h>

#include <system_error>

namespace bbcheck {

RequestWatchdog::RequestWatchdog(const Poco::Net::Socket& socket, Clock::time_point deadline)
    : socket_(socket) {
  try {
    thread_ = std::thread([this, deadline] { watch(deadline); });
  } catch (const std::system_error&) {
    // No thread (RLIMIT_NPROC): Poco's per-read timeout still holds.
  }
}

RequestWatchdog::~RequestWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RequestWatchdog::watch(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wake_.wait_until(lock, deadline, [this] { return done_; })) return;
  fired_ = true;
  // shutdown, not close: the descriptor stays the request's until it ends,
  // so no other file can take its number. A socket still connecting (or in
  // its TLS handshake) may get its descriptor later: try again until done.
  while (!done_) {
    poco_socket_t fd = socket_.impl()->sockfd();
    if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
    wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; });
  }
}

}  // namespace bbcheck
