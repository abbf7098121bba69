// Name resolution through the system resolver (getaddrinfo: /etc/hosts, DNS,
// whatever nsswitch says) under a deadline. getaddrinfo has no timeout, so it
// runs via callWithDeadline.
#pragma once

#include <sys/socket.h>

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
};

// Resolves `host` (a name or an address literal) for TCP. `family` is
// AF_UNSPEC (IPv6 and IPv4), AF_INET or AF_INET6.
ResolveResult resolveWithDeadline(const std::string& host, Clock::time_point deadline,
                                  int family = AF_UNSPEC);

// "name does not exist (Name or service not known)" style text for a failure.
std::string describeResolveFailure(const ResolveResult& result);

}  // namespace bbcheck
