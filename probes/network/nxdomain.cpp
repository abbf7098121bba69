#include "probes/network/nxdomain.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <netdb.h>

#include <random>
#include <vector>

#include "probes/network/dns_query.h"
#include "probes/network/resolve.h"
#include "probes/param_binding.h"

namespace bbcheck {

std::string randomNameUnder(const std::string& domain) {
  std::random_device seed;
  std::mt19937_64 random((static_cast<uint64_t>(seed()) << 32) ^ seed());
  return fmt::format("bbcheck-{:016x}.{}", random(), domain);
}

namespace {

// Which resolv.conf servers answer `name` with addresses (asked directly,
// within what is left of the deadline): the ones that hijack.
std::vector<std::string> hijackingServers(const std::string& name, Clock::time_point deadline) {
  std::vector<std::string> found;
  for (const std::string& server : resolvConfNameservers("/etc/resolv.conf")) {
    if (Clock::now() >= deadline) break;
    DnsQueryResult r = queryDns(name, "A", server, deadline);
    if (r.ok())
      found.push_back(fmt::format("{} (answered {})", r.server, fmt::join(r.records, ", ")));
  }
  return found;
}

struct NxdomainParams {
  std::string domain = "invalid";
};

Outcome runNxdomain(const NxdomainParams& params, const ProbeContext& ctx) {
  std::string name = randomNameUnder(params.domain);
  ResolveResult r = resolveWithDeadline(name, ctx.deadline);
  Object observed;
  observed["name"] = name;
  observed["resolved"] = r.ok;
  observed["ms"] = r.ms;
  Object expected;
  expected["resolved"] = false;
  if (r.ok) {
    std::vector<std::string> ips;
    for (const auto& a : r.addresses) ips.push_back(a.ip());
    observed["addresses"] = Array(ips.begin(), ips.end());
    std::vector<std::string> servers = hijackingServers(name, ctx.deadline);
    observed["hijacking_servers"] = Array(servers.begin(), servers.end());
    std::string by = servers.empty()
                         ? fmt::format("the system resolver (nameservers in /etc/resolv.conf: {})",
                                       systemServersText())
                         : fmt::format("nameserver {}", fmt::join(servers, ", "));
    return Outcome::fail(
        fmt::format("{}, a name that cannot exist, resolved to {} via {}: the resolver hijacks "
                    "NXDOMAIN answers. Network tests that expect a bad name to fail will break, "
                    "and port checks of real hosts cannot be trusted (a refused or accepted "
                    "connection may be the hijacker's address, not a firewall or the host)",
                    name, fmt::join(ips, ", "), by),
        observed, expected);
  }
  observed["error"] = describeResolveFailure(r);
  if (r.gai_error == EAI_NONAME || r.gai_error == EAI_NODATA)
    return Outcome::pass(fmt::format("{} does not resolve, as it must ({} ms)", name, r.ms),
                         observed, expected);
  return Outcome::error(fmt::format("cannot tell whether the resolver hijacks NXDOMAIN: looking "
                                    "up {}: {}",
                                    name, describeResolveFailure(r)),
                        observed);
}

}  // namespace

ProbeKind nxdomainProbe() {
  return probeKind(
      "nxdomain",
      "a random name under .invalid does NOT resolve (no NXDOMAIN hijacking by the resolver)",
      {stringParam("domain", &NxdomainParams::domain, "a domain whose names never exist")},
      runNxdomain);
}

}  // namespace bbcheck
