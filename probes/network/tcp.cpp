#include "probes/network/tcp.h"

#include <fmt/format.h>

#include <future>
#include <optional>

#include "probes/param_binding.h"
#include "probes/proxy.h"

namespace bbcheck {

std::vector<TcpAttempt> connectPorts(const std::string& host, const std::vector<int>& ports,
                                     Clock::time_point deadline) {
  ResolveResult resolved = resolveWithDeadline(host, deadline);
  std::vector<std::future<TcpAttempt>> running;
  // One port runs on the probe's own thread; several connect at once.
  auto policy = ports.size() == 1 ? std::launch::deferred : std::launch::async;
  for (int port : ports) {
    running.push_back(std::async(policy, [&host, &resolved, port, deadline] {
      if (resolved.ok) return connectResolved(host, port, resolved, deadline);
      TcpAttempt failed;
      failed.host = host;
      failed.port = port;
      failed.ms = resolved.ms;
      failed.cause = resolveFailureCause(resolved);
      failed.detail = describeResolveFailure(resolved);
      failed.resolved = resolved;
      return failed;
    }));
  }
  std::vector<TcpAttempt> results;
  for (auto& r : running) results.push_back(r.get());
  return results;
}

namespace {

struct TcpParams {
  std::string host;
  std::optional<int64_t> port;
  std::vector<int64_t> ports;
};

// `port` and `ports` merged, in order, without repeats.
std::vector<int> requestedPorts(const TcpParams& params) {
  std::vector<int64_t> all;
  if (params.port) all.push_back(*params.port);
  all.insert(all.end(), params.ports.begin(), params.ports.end());
  std::vector<int> ports;
  for (int64_t p : all) {
    bool seen = false;
    for (int q : ports) seen = seen || q == p;
    if (!seen) ports.push_back(static_cast<int>(p));
  }
  return ports;
}

std::string withProxyNote(std::string message) {
  std::string note = tcpProxyNote();
  return note.empty() ? message : message + " (" + note + ")";
}

// Appends what the failures' common cause means (refused: server down or
// wrong port; timed out: a firewall), when they share one.
std::string withMeaning(std::string message, const std::vector<TcpAttempt>& results) {
  NetCause common = NetCause::None;
  for (const auto& r : results) {
    if (r.ok) continue;
    if (common != NetCause::None && r.cause != common) return message;
    common = r.cause;
  }
  std::string meaning = causeMeaning(common);
  return meaning.empty() ? message : message + "; " + meaning;
}

Outcome runTcp(const TcpParams& params, const ProbeContext& ctx) {
  const std::string& host = params.host;
  std::vector<int> ports = requestedPorts(params);
  if (ports.empty()) return Outcome::error("tcp needs `port` or `ports`");
  for (int port : ports) {
    if (port < 1 || port > 65535)
      return Outcome::error(fmt::format("port {} is not in 1..65535", port));
  }
  std::vector<TcpAttempt> results = connectPorts(host, ports, ctx.deadline);

  Object observed;
  observed["host"] = host;
  Array perPort;
  std::vector<std::string> failures;
  std::vector<int> reachable;
  for (const auto& r : results) {
    perPort.push_back(r.toValue());
    if (r.ok)
      reachable.push_back(r.port);
    else
      failures.push_back(fmt::format("port {}: {}", r.port, r.detail));
  }
  observed["ports"] = perPort;
  Object expected;
  expected["host"] = host;
  expected["ports"] = Array(ports.begin(), ports.end());
  expected["reachable"] = true;

  if (failures.empty()) {
    if (results.size() == 1) return Outcome::pass(results[0].describe(), observed, expected);
    return Outcome::pass(
        fmt::format("{}: all {} ports reachable ({})", host, ports.size(), fmt::join(ports, ", ")),
        observed, expected);
  }
  for (const auto& r : results)
    if (!r.ok && isLocalShortage(r.cause))
      return Outcome::error(fmt::format("could not try: {} (bbcheck ran out of file descriptors: "
                                        "raise `ulimit -n`)",
                                        r.describe()),
                            observed);
  if (results.size() == 1)
    return Outcome::fail(withProxyNote(withMeaning(results[0].describe(), results)), observed,
                         expected);
  NetCause cause = results[0].cause;
  if (cause == NetCause::DnsFailure || cause == NetCause::DnsTimeout)
    return Outcome::fail(withProxyNote(results[0].describe()), observed, expected);
  std::string message = fmt::format("{}: {} of {} ports unreachable: {}", host, failures.size(),
                                    ports.size(), fmt::join(failures, "; "));
  if (!reachable.empty()) message += fmt::format("; reachable: {}", fmt::join(reachable, ", "));
  return Outcome::fail(withProxyNote(withMeaning(message, results)), observed, expected);
}

}  // namespace

ProbeKind tcpProbe() {
  return probeKind(
      "tcp",
      "TCP connect to host:port (every address); says which address answered or how each failed",
      {stringParam("host", &TcpParams::host, "host name or address").required(),
       intParam("port", &TcpParams::port, "one port (or use ports)").between(1, 65535),
       intListParam("ports", &TcpParams::ports, "several ports, all must connect")
           .between(1, 65535)},
      runTcp);
}

}  // namespace bbcheck
