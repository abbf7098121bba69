// The dns probe's system-resolver mode: resolve a name the way programs do
// (getaddrinfo with AF_UNSPEC, as Python's socket.create_connection asks),
// and report what each address family (A, AAAA) answered and how fast.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// `type` "A" judges the AF_UNSPEC lookup programs make; "AAAA" requires an
// IPv6 address. `maxMs` > 0 also fails an answer slower than that.
Outcome systemResolve(const std::string& name, const std::string& type, int64_t maxMs,
                      const ProbeContext& ctx);

}  // namespace bbcheck
