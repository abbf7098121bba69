// The `dns` probe: does a name resolve, through the system resolver (under
// the check's deadline) or by asking one DNS server directly, and do all
// nameservers of /etc/resolv.conf answer. The querying is in dns_query.h.
#pragma once

#include "probes/network/dns_query.h"
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "dns": a name resolves (system resolver, one server, or every nameserver).
ProbeKind dnsProbe();

}  // namespace bbcheck
