// TCP connect to host:port under a deadline, trying every resolved address
// (IPv6 and IPv4) at once, with each address's failure classified. Shared by
// the tcp, tls, http and buildmaster probes.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <string>
#include <vector>

#include "probes/net_errors.h"
#include "probes/network/resolve.h"
#include "probes/probe.h"

namespace bbcheck {

// What happened with one resolved address.
struct AddressAttempt {
  std::string address;  // "127.0.0.1:80", "[::1]:80"
  bool ok = false;
  NetCause cause = NetCause::None;
  std::string detail;  // strerror() text, or how long we waited
  int64_t ms = 0;      // from the start of the connect to its end
};

struct TcpAttempt {
  std::string host;
  int port = 0;
  bool ok = false;
  std::string address;              // the address that answered ("127.0.0.1:80")
  int64_t ms = 0;                   // connect time of that address; on failure, time spent
  NetCause cause = NetCause::None;  // on failure: DNS, refused, timed out, ...
  std::string detail;               // on failure: resolver text, or each address's failure
  ResolveResult resolved;
  // Addresses that failed, plus the one that answered. Addresses still
  // connecting when another answered are not listed.
  std::vector<AddressAttempt> attempts;
  // Connected (blocking mode) when ok; closed when this is destroyed.
  Poco::Net::StreamSocket socket;

  // One line: "connected to localhost:80 via 127.0.0.1:80 in 1 ms", or
  // "cannot connect to localhost:81: connection refused by [::1]:81; ...",
  // or "nope.invalid did not resolve: name does not exist (...)".
  std::string describe() const;
  // {"host","port","ok","address","ms","cause","detail","resolved":[...],
  //  "attempts":[{"address","ok","cause","detail","ms"}]}
  Value toValue() const;
};

// Resolves `host` (under the deadline) and connects.
TcpAttempt connectWithDeadline(const std::string& host, int port, Clock::time_point deadline);

// Why a resolution failed, as a cause: DNS timeout or failure, or this
// process out of descriptors (getaddrinfo's EAI_SYSTEM with EMFILE).
NetCause resolveFailureCause(const ResolveResult& resolved);

// Connects to already resolved addresses, all at once; the first to answer
// wins. `resolved` must be ok.
TcpAttempt connectResolved(const std::string& host, int port, const ResolveResult& resolved,
                           Clock::time_point deadline);

// "connection refused by 127.0.0.1:81" style phrase for one address.
std::string describeAddressAttempt(const AddressAttempt& attempt);

}  // namespace bbcheck
