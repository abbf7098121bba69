// The `tcp` probe: can this host open TCP connections to host:port (for one
// or several ports), and if not, how exactly does each address fail.
#pragma once

#include <string>
#include <vector>

#include "probes/network/tcp_connect.h"
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "tcp": TCP connects to host:port for one or several ports.
ProbeKind tcpProbe();

// Resolves `host` once, then connects to every port concurrently, so that
// ten black-holed ports cost one timeout, not ten. One result per port, in
// the order given.
std::vector<TcpAttempt> connectPorts(const std::string& host, const std::vector<int>& ports,
                                     Clock::time_point deadline);

}  // namespace bbcheck
