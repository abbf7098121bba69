// Name resolution through the system resolver (getaddrinfo: /etc/hosts, DNS,
// whatever nsswitch says) under a deadline. getaddrinfo has no timeout, so it
// runs via callWithDeadline.
#pragma once

#include <sys/socket.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// One resolved address, ready for connect().
struct ResolvedAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_UNSPEC;

  std::string ip() const;                // "127.0.0.1", "::1"
  std::string withPort(int port) const;  // "127.0.0.1:80", "[::1]:80"
};

struct ResolveResult {
  bool ok = false;
  bool timed_out = false;                  // the resolver had not answered at the deadline
  int gai_error = 0;                       // getaddrinfo's code when it answered with an error
  int system_errno = 0;                    // errno behind EAI_SYSTEM (e.g. EMFILE)
  std::string error;                       // the resolver's text, e.g. "Name or service not known"
  std::vector<ResolvedAddress> addresses;  // getaddrinfo's order, no duplicates
  int64_t ms = 0;
  // The answer of a lookup another check of this run started (or finished
  // moments ago) for the same name and family: both report the same.
  bool shared = false;
};

// Resolves `host` (a name or an address literal) for TCP. `family` is
// AF_UNSPEC (IPv6 and IPv4, as programs ask), AF_INET or AF_INET6. Lookups
// of the same name and family in one run share one getaddrinfo call.
ResolveResult resolveWithDeadline(const std::string& host, Clock::time_point deadline,
                                  int family = AF_UNSPEC);

// A lookup started and not yet waited for: start several (one per family),
// then wait for each with its own deadline.
struct SharedLookup;
struct PendingResolve {
  std::shared_ptr<SharedLookup> lookup;
  bool joined = false;  // another check of this run started it
  Clock::time_point start;
  std::optional<ResolveResult> ready;  // answered at once (an address literal, no thread)
};

PendingResolve startResolve(const std::string& host, int family = AF_UNSPEC);
ResolveResult awaitResolve(const PendingResolve& pending, Clock::time_point deadline);

// "name does not exist (Name or service not known)" style text for a failure.
std::string describeResolveFailure(const ResolveResult& result);

}  // namespace bbcheck
