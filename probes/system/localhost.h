#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "localhost": loopback TCP works.
ProbeKind localhostProbe();

// One loopback round trip: bind an ephemeral port on `address`, listen,
// connect to it, send bytes and read them back through the accepted socket.
struct LoopbackResult {
  std::string family;   // "ipv4", "ipv6" or "name"
  std::string address;  // "127.0.0.1", "::1", or what the name resolved to
  int port = 0;
  bool ok = false;
  bool skipped = false;  // not applicable here (IPv6 disabled); `error` says why
  std::string error;     // "cannot connect to 127.0.0.1:4242 (Network is unreachable)"
  // bbcheck itself ran out of descriptors (EMFILE, ENFILE): not a loopback fault.
  bool local_shortage = false;
  int64_t ms = 0;
};

LoopbackResult loopbackRoundTrip(const std::string& family, const std::string& address,
                                 Clock::time_point deadline);

// Why IPv6 cannot be used on loopback here ("" when it can): no kernel
// support, or disabled by sysctl.
std::string ipv6Unavailable();

// Addresses `name` resolves to (numeric, each once, resolver order). Gives up
// at `deadline` (the system resolver has no timeout of its own); `error`
// says why when the list is empty.
std::vector<std::string> resolveName(const std::string& name, Clock::time_point deadline,
                                     std::string& error);

}  // namespace bbcheck
