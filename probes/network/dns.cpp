#include "probes/network/dns.h"

#include <Poco/String.h>
#include <fmt/format.h>

#include <future>
#include <optional>

#include "probes/network/dns_system.h"
#include "probes/network/resolve.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

Outcome directQuery(const std::string& name, const std::string& type, const std::string& server,
                    const ProbeContext& ctx) {
  DnsQueryResult r = queryDns(name, type, server, ctx.deadline);
  Object observed = r.toValue().extract<Object>();
  observed["name"] = name;
  observed["type"] = type;
  Object expected;
  expected["name"] = name;
  expected["type"] = type;
  expected["resolves"] = true;
  if (r.ok()) return Outcome::pass(r.describe(name, type), observed, expected);
  if (r.cause == "error" && r.rcode.empty())
    return Outcome::error(r.describe(name, type), observed);
  return Outcome::fail(r.describe(name, type), observed, expected);
}

// Whether a nameserver answered: records, no data of that type, or that the
// name does not exist (NXDOMAIN is an answer; dns.system judges the name).
// SERVFAIL, REFUSED, a timeout or silence leave a lookup without one.
bool answered(const DnsQueryResult& r) {
  return r.ok() || r.cause == "no_data" || r.cause == "nxdomain";
}

// Every resolv.conf nameserver asked directly, concurrently, on port 53.
Outcome checkNameservers(const std::string& name, const std::string& type, const std::string& path,
                         const ProbeContext& ctx) {
  std::string unreadable;
  std::vector<std::string> servers = resolvConfNameservers(path, &unreadable);
  if (!unreadable.empty()) return Outcome::error(unreadable);
  if (servers.empty()) return Outcome::fail(fmt::format("no nameserver lines in {}", path));
  std::vector<std::future<DnsQueryResult>> running;
  for (const auto& server : servers) {
    std::string text = server.find(':') != std::string::npos ? "[" + server + "]" : server;
    running.push_back(std::async(std::launch::async,
                                 [=, &ctx] { return queryDns(name, type, text, ctx.deadline); }));
  }
  Array perServer;
  std::vector<std::string> failures, noRecords;
  for (auto& r : running) {
    DnsQueryResult one = r.get();
    perServer.push_back(one.toValue());
    if (!answered(one))
      failures.push_back(one.describe(name, type));
    else if (!one.ok())
      noRecords.push_back(one.describe(name, type));
  }
  Object observed;
  observed["name"] = name;
  observed["type"] = type;
  observed["resolv_conf"] = path;
  observed["servers"] = perServer;
  Object expected;
  expected["all_answer"] = true;
  if (failures.empty())
    return Outcome::pass(
        fmt::format("all {} nameservers of {} answer for {} {}{}", servers.size(), path, name, type,
                    noRecords.empty() ? "" : fmt::format(" ({})", fmt::join(noRecords, "; "))),
        observed, expected);
  return Outcome::fail(fmt::format("{} of {} nameservers of {} fail: {}", failures.size(),
                                   servers.size(), path, fmt::join(failures, "; ")),
                       observed, expected);
}

struct DnsParams {
  std::string name;
  std::string server;
  std::string type = "A";
  bool nameservers = false;
  std::optional<int64_t> max_ms;
  std::string resolv_conf = "/etc/resolv.conf";
};

Outcome runDns(const DnsParams& params, const ProbeContext& ctx) {
  const std::string& name = params.name;
  std::string type = Poco::toUpper(params.type);
  const std::string& server = params.server;
  if (dnsTypeNumber(type) == 0)
    return Outcome::error(fmt::format("unknown record type '{}'", type));
  if (params.nameservers) {
    if (!server.empty()) return Outcome::error("use `server` or `nameservers: true`, not both");
    return checkNameservers(name, type, params.resolv_conf, ctx);
  }
  if (server.empty() && (type == "A" || type == "AAAA"))
    return systemResolve(name, type, params.max_ms.value_or(0), ctx);  // 0: no bound of its own
  return directQuery(name, type, server, ctx);
}

}  // namespace

ProbeKind dnsProbe() {
  return probeKind(
      "dns",
      "name resolution: system resolver with a deadline, one server directly, or every "
      "resolv.conf nameserver",
      {stringParam("name", &DnsParams::name, "the name to look up").required(),
       stringParam("server", &DnsParams::server, "ask this DNS server (host[:port]) directly"),
       stringParam("type", &DnsParams::type, "record type").oneOf(dnsTypeNames()),
       boolParam("nameservers", &DnsParams::nameservers,
                 "check that every resolv.conf nameserver answers"),
       durationParam("max_ms", &DnsParams::max_ms,
                     "system resolver: also fail an answer slower than this, e.g. 1s (unset: any "
                     "time within the timeout)"),
       pathParam("resolv_conf", &DnsParams::resolv_conf, "where the nameservers are listed")},
      runDns);
}

}  // namespace bbcheck
