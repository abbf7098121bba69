// Holds a socket to a deadline that the library using it cannot: Poco's
// HTTP and TLS code re-arms its receive timeout on every byte, so a server
// sending one byte a second (or a TLS handshake that never ends) would keep
// it reading forever. At the deadline this shuts the socket down, which ends
// any blocked read or write at once; the caller then sees fired() and
// reports a timeout rather than whatever error the library made of it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "probes/probe.h"

namespace bbcheck {

class SocketDeadline {
 public:
  // Watches `fd` until `deadline` or destruction. When no thread can be
  // started, it does nothing (the socket's own timeouts still apply).
  SocketDeadline(int fd, Clock::time_point deadline);
  ~SocketDeadline();  // cancels the watch; never shuts down after this
  SocketDeadline(const SocketDeadline&) = delete;
  SocketDeadline& operator=(const SocketDeadline&) = delete;

  bool fired() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace bbcheck
