#include "probes/network/dns_system.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "probes/network/dns_query.h"
#include "probes/network/resolve.h"

namespace bbcheck {
namespace {

// Above this, a lookup has waited for a nameserver's timeout or a retry:
// the message says so even when no maximum is asked for.
constexpr int64_t kSlowMs = 1000;

std::vector<std::string> ipsOf(const ResolveResult& r) {
  std::vector<std::string> ips;
  for (const auto& a : r.addresses) ips.push_back(a.ip());
  return ips;
}

Object familyObject(const char* type, const ResolveResult& r) {
  Object o;
  o["type"] = type;
  o["ok"] = r.ok;
  std::vector<std::string> ips = ipsOf(r);
  o["addresses"] = Array(ips.begin(), ips.end());
  o["ms"] = r.ms;
  o["timed_out"] = r.timed_out;
  if (!r.ok) o["error"] = r.error;
  return o;
}

// "A: 192.0.2.10 in 40 ms", "AAAA: no answer within 3000 ms", "AAAA: none
// (name has no address ...)".
std::string familyText(const char* type, const ResolveResult& r) {
  if (r.ok) return fmt::format("{}: {} in {} ms", type, fmt::join(ipsOf(r), ", "), r.ms);
  if (r.timed_out) return fmt::format("{}: no answer within {} ms", type, r.ms);
  return fmt::format("{}: none ({})", type, describeResolveFailure(r));
}

struct Lookups {
  ResolveResult judged, a, aaaa;
};

// The judged lookup and one per family, at once: a healthy resolver answers
// all three in the time of one. The per-family answers only explain the
// judged one, so they get little time after it: a family that is still
// waiting then is reported as such.
Lookups lookUpAll(const std::string& name, int family, Clock::time_point deadline) {
  PendingResolve a = startResolve(name, AF_INET);
  PendingResolve aaaa = startResolve(name, AF_INET6);
  Lookups all;
  all.judged = resolveWithDeadline(name, deadline, family);
  Clock::time_point grace = std::min(deadline, Clock::now() + Milliseconds(250));
  all.a = awaitResolve(a, grace);
  all.aaaa = awaitResolve(aaaa, grace);
  return all;
}

}  // namespace

Outcome systemResolve(const std::string& name, const std::string& type, int64_t maxMs,
                      const ProbeContext& ctx) {
  int family = type == "AAAA" ? AF_INET6 : AF_UNSPEC;
  const char* how =
      family == AF_UNSPEC ? "getaddrinfo AF_UNSPEC, as programs ask" : "getaddrinfo AF_INET6";
  Lookups all = lookUpAll(name, family, ctx.deadline);
  const ResolveResult& r = all.judged;
  Object observed;
  observed["name"] = name;
  observed["type"] = type;
  observed["server"] = "system resolver";
  observed["lookup"] = std::string(how);
  observed["ms"] = r.ms;
  observed["shared"] = r.shared;  // the answer of a lookup another check of this run made
  std::vector<std::string> ips = ipsOf(r);
  observed["addresses"] = Array(ips.begin(), ips.end());
  observed["families"] = Array{familyObject("A", all.a), familyObject("AAAA", all.aaaa)};
  Object expected;
  expected["name"] = name;
  expected["type"] = type;
  expected["resolves"] = true;
  if (maxMs > 0) expected["max_ms"] = maxMs;
  std::string families =
      fmt::format("{}; {}", familyText("A", all.a), familyText("AAAA", all.aaaa));

  if (r.ok) {
    if (maxMs > 0 && r.ms > maxMs) {
      return Outcome::fail(
          fmt::format("{} resolves, but only after {} ms (more than {} ms; {}): every connection a "
                      "program opens by name waits that long first ({}); usually a nameserver in "
                      "{} that does not answer, or a query type one does not answer",
                      name, r.ms, maxMs, how, families, systemServersText()),
          observed, expected);
    }
    std::string slow = r.ms > kSlowMs ? ", slow" : "";
    return Outcome::pass(fmt::format("{} resolves to {} (system resolver, {} ms{}; {})", name,
                                     fmt::join(ips, ", "), r.ms, slow, families),
                         observed, expected);
  }
  observed["cause"] = r.timed_out ? "timed_out" : "resolver_error";
  observed["error"] = r.error;
  if (r.timed_out) {
    // One family answered, the other did not: the name does resolve, but
    // getaddrinfo waits for both, so programs get it only after the timeout.
    if (family == AF_UNSPEC && all.a.ok != all.aaaa.ok)
      return Outcome::fail(
          fmt::format("{} resolves only after the resolver gives up: getaddrinfo had not "
                      "returned within {} ms ({}; {}): programs wait for both answers, so every "
                      "connection they open by name stalls that long first; {}",
                      name, r.ms, how, families, systemServersText()),
          observed, expected);
    return Outcome::fail(
        fmt::format("{} did not resolve: the system resolver did not answer within {} ms ({}; "
                    "{}; {})",
                    name, r.ms, how, families, systemServersText()),
        observed, expected);
  }
  return Outcome::fail(
      fmt::format("{} did not resolve ({}): {}", name, type, describeResolveFailure(r)), observed,
      expected);
}

}  // namespace bbcheck
