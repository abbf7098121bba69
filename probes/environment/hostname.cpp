#include "probes/environment/hostname.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <optional>

#include "probes/deadline_call.h"
#include "probes/elapsed.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

std::string numericHost(const sockaddr* address, socklen_t length) {
  char text[NI_MAXHOST] = "";
  if (::getnameinfo(address, length, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) return "";
  return text;
}

// The blocking part: runs on a thread of its own, owns all it touches.
HostnameLookup blockingLookup(const std::string& hostname) {
  HostnameLookup r;
  r.hostname = hostname;
  auto start = Clock::now();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_CANONNAME;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(hostname.c_str(), nullptr, &hints, &found);
  r.forward_ms = msSince(start);
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  if (rc != 0) {
    r.forward_error = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
  } else {
    r.resolved = true;
    if (found->ai_canonname != nullptr) r.canonical = found->ai_canonname;
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      std::string ip = numericHost(a->ai_addr, a->ai_addrlen);
      bool seen = false;
      for (const auto& known : r.addresses) seen = seen || known == ip;
      if (!ip.empty() && !seen) r.addresses.push_back(ip);
    }
    // getfqdn() then asks for the first address's name (gethostbyaddr).
    auto reverseStart = Clock::now();
    char name[NI_MAXHOST] = "";
    if (::getnameinfo(found->ai_addr, found->ai_addrlen, name, sizeof name, nullptr, 0,
                      NI_NAMEREQD) == 0)
      r.reverse_name = name;
    r.reverse_ms = msSince(reverseStart);
  }
  // getfqdn(): the first of the names that contains a dot, else the host name.
  r.fqdn = hostname;
  for (const std::string* n : {&r.reverse_name, &r.canonical})
    if (n->find('.') != std::string::npos) {
      r.fqdn = *n;
      break;
    }
  r.total_ms = msSince(start);
  r.finished = true;
  return r;
}

}  // namespace

std::string currentHostname() {
  char name[256] = "";
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

HostnameLookup lookUpHostname(const std::string& hostname, Clock::time_point deadline) {
  auto start = Clock::now();
  std::optional<HostnameLookup> done =
      callWithDeadline<HostnameLookup>([hostname] { return blockingLookup(hostname); }, deadline);
  if (done) return *done;
  HostnameLookup unfinished;
  unfinished.hostname = hostname;
  unfinished.total_ms = msSince(start);
  return unfinished;
}

namespace {

struct HostnameParams {
  int64_t max = 1000;  // ms
};

Outcome runHostname(const HostnameParams& params, const ProbeContext& ctx) {
  int64_t max = params.max;
  std::string hostname = currentHostname();
  if (hostname.empty()) return Outcome::error("gethostname() failed");
  HostnameLookup r = lookUpHostname(hostname, ctx.deadline);
  Object observed;
  observed["hostname"] = hostname;
  observed["finished"] = r.finished;
  observed["resolved"] = r.resolved;
  observed["addresses"] = Array(r.addresses.begin(), r.addresses.end());
  observed["fqdn"] = r.fqdn;
  observed["forward_ms"] = r.forward_ms;
  observed["reverse_ms"] = r.reverse_ms;
  observed["ms"] = r.total_ms;
  Object expected;
  expected["resolves"] = true;
  expected["max_ms"] = max;
  if (!r.finished)
    return Outcome::fail(
        fmt::format("looking up host name {} had not finished after {} ms (the check's timeout): "
                    "socket.getfqdn() and everything that calls it (smtplib, logging, "
                    "http.server) stall",
                    hostname, r.total_ms),
        observed, expected);
  if (!r.resolved)
    return Outcome::fail(fmt::format("host name {} does not resolve ({}, after {} ms)", hostname,
                                     r.forward_error, r.forward_ms),
                         observed, expected);
  std::string found = fmt::format("host name {} -> {}, fully qualified {}", hostname,
                                  fmt::join(r.addresses, ", "), r.fqdn);
  std::string times =
      fmt::format("{} ms (forward {} ms, reverse {} ms)", r.total_ms, r.forward_ms, r.reverse_ms);
  if (r.total_ms > max)
    return Outcome::fail(fmt::format("{}: took {}, more than {} ms", found, times, max), observed,
                         expected);
  return Outcome::pass(fmt::format("{} in {}", found, times), observed, expected);
}

}  // namespace

ProbeKind hostnameProbe() {
  return probeKind(
      "hostname",
      "gethostname() and its fully qualified name (as socket.getfqdn) resolve, and quickly",
      {durationParam("max", &HostnameParams::max, "longest the lookups may take")}, runHostname);
}

}  // namespace bbcheck
