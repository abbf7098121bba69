// The machine's host name and its fully qualified name, looked up the way
// Python's socket.getfqdn() does (forward lookup of gethostname(), then a
// reverse lookup of its address), with the time each step took.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "hostname": the host name and its fully qualified name resolve quickly.
ProbeKind hostnameProbe();

struct HostnameLookup {
  std::string hostname;   // gethostname()
  bool finished = false;  // false: still looking up at the deadline
  bool resolved = false;  // the forward lookup gave addresses
  std::string forward_error;
  std::vector<std::string> addresses;
  std::string canonical;     // AI_CANONNAME
  std::string reverse_name;  // the address's name (PTR or /etc/hosts), "" when none
  std::string fqdn;          // what getfqdn() would return
  int64_t forward_ms = 0;
  int64_t reverse_ms = 0;
  int64_t total_ms = 0;
};

// Looks `hostname` up forward and back; never blocks past `deadline` (the
// lookups then continue in a thread whose result is dropped).
HostnameLookup lookUpHostname(const std::string& hostname, Clock::time_point deadline);

// gethostname(), or "" when it fails.
std::string currentHostname();

}  // namespace bbcheck
