#include "probes/network/dns_query.h"

#include <Poco/String.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "probes/elapsed.h"
#include "probes/net_errors.h"
#include "probes/network/dns_reply.h"
#include "probes/network/dns_transport.h"
#include "probes/network/resolve.h"

namespace bbcheck {
namespace {

struct TypeName {
  const char* name;
  int number;
};

const TypeName kTypes[] = {{"A", ns_t_a},     {"AAAA", ns_t_aaaa}, {"CNAME", ns_t_cname},
                           {"MX", ns_t_mx},   {"NS", ns_t_ns},     {"PTR", ns_t_ptr},
                           {"SOA", ns_t_soa}, {"SRV", ns_t_srv},   {"TXT", ns_t_txt},
                           {"CAA", ns_t_caa}};

// The query message for name/type (recursion desired, a random id).
std::optional<std::vector<unsigned char>> buildQuery(const std::string& name, int type) {
  struct __res_state state;
  std::memset(&state, 0, sizeof state);
  if (::res_ninit(&state) != 0) return std::nullopt;
  unsigned char query[NS_PACKETSZ];
  int length = ::res_nmkquery(&state, ns_o_query, name.c_str(), ns_c_in, type, nullptr, 0, nullptr,
                              query, sizeof query);
  ::res_nclose(&state);
  if (length < 0) return std::nullopt;
  return std::vector<unsigned char>(query, query + length);
}

// A numeric address (resolv.conf's "nameserver" lines) on `port`.
std::optional<DnsServerAddress> numericServer(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
    return std::nullopt;
  DnsServerAddress server;
  std::memcpy(&server.address, found->ai_addr, found->ai_addrlen);
  server.length = found->ai_addrlen;
  server.text = found->ai_family == AF_INET6 ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
  ::freeaddrinfo(found);
  return server;
}

void readReply(const std::vector<unsigned char>& bytes, int type, DnsQueryResult& result) {
  DnsReply reply = parseDnsReply(bytes.data(), bytes.size(), type);
  if (!reply.malformed.empty()) {
    result.cause = "malformed";
    result.detail = reply.malformed;
    return;
  }
  result.rcode = reply.rcode;
  result.records = std::move(reply.records);
  result.aliases = std::move(reply.aliases);
  if (result.rcode == "NXDOMAIN")
    result.cause = "nxdomain";
  else if (result.rcode == "SERVFAIL")
    result.cause = "servfail";
  else if (result.rcode == "REFUSED")
    result.cause = "refused";
  else if (result.rcode != "NOERROR")
    result.cause = "rcode";
  else if (result.records.empty())
    result.cause = "no_data";
}

// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address.
bool splitHostPort(const std::string& text, std::string& host, int& port) {
  port = 53;
  host = text;
  std::string portText;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return false;
      portText = text.substr(close + 2);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    host = text.substr(0, text.find(':'));
    portText = text.substr(text.find(':') + 1);
  }
  if (!portText.empty()) {
    char* end = nullptr;
    long value = std::strtol(portText.c_str(), &end, 10);
    if (*end != '\0' || value < 1 || value > 65535) return false;
    port = static_cast<int>(value);
  }
  return !host.empty();
}

// The server's address; "" or an error text.
std::string findServer(const std::string& text, Clock::time_point deadline,
                       DnsServerAddress& server) {
  std::string host;
  int port = 53;
  if (!splitHostPort(text, host, port))
    return fmt::format("cannot read server '{}' (want host[:port])", text);
  ResolveResult resolved = resolveWithDeadline(host, deadline);
  if (!resolved.ok)
    return fmt::format("DNS server name {} did not resolve: {}", host,
                       describeResolveFailure(resolved));
  const ResolvedAddress& address = resolved.addresses.front();
  server.address = address.storage;
  uint16_t networkPort = htons(static_cast<uint16_t>(port));
  if (address.family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&server.address)->sin6_port = networkPort;
    server.length = sizeof(sockaddr_in6);
  } else {
    reinterpret_cast<sockaddr_in*>(&server.address)->sin_port = networkPort;
    server.length = sizeof(sockaddr_in);
  }
  server.text = address.withPort(port);
  return "";
}

}  // namespace

std::string systemServersText() {
  auto servers = resolvConfNameservers("/etc/resolv.conf");
  if (servers.empty()) return "resolv.conf servers";
  std::string joined;
  for (const auto& s : servers) joined += (joined.empty() ? "" : ",") + s;
  return joined;
}

std::vector<std::string> dnsTypeNames() {
  std::vector<std::string> names;
  for (const auto& t : kTypes) names.push_back(t.name);
  return names;
}

int dnsTypeNumber(const std::string& type) {
  for (const auto& t : kTypes)
    if (Poco::icompare(type, t.name) == 0) return t.number;
  return 0;
}

std::vector<std::string> resolvConfNameservers(const std::string& path, std::string* error) {
  std::vector<std::string> servers;
  std::string text;
  // A missing file is no servers (glibc then asks 127.0.0.1); one that
  // exists but cannot be read is not "no nameservers": the caller says so.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno != ENOENT && error)
      *error = fmt::format("cannot read {}: {}", path, errnoText(errno));
    return servers;
  }
  char buffer[4096];
  constexpr size_t kLimit = 1 << 20;  // far beyond any real resolv.conf
  while (text.size() < kLimit) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (error) *error = fmt::format("cannot read {}: {}", path, errnoText(errno));
      ::close(fd);
      return servers;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string keyword, address;
    if (words >> keyword >> address && keyword == "nameserver") servers.push_back(address);
  }
  return servers;
}

DnsQueryResult queryDns(const std::string& name, const std::string& type,
                        const std::string& serverText, Clock::time_point deadline) {
  auto start = Clock::now();
  DnsQueryResult result;
  int typeNumber = dnsTypeNumber(type);
  std::vector<DnsServerAddress> servers;
  if (!serverText.empty()) {
    DnsServerAddress server;
    std::string problem = findServer(serverText, deadline, server);
    if (!problem.empty()) {
      result.server = serverText;
      result.cause = "error";
      result.detail = problem;
      return result;
    }
    servers.push_back(server);
    result.server = server.text;
  } else {
    result.server = systemServersText();
    std::string unreadable;
    std::vector<std::string> listed = resolvConfNameservers("/etc/resolv.conf", &unreadable);
    if (!unreadable.empty()) {  // not "no servers": the resolver cannot see them either
      result.cause = "error";
      result.detail = unreadable;
      return result;
    }
    if (listed.empty()) listed.push_back("127.0.0.1");  // what glibc asks then
    for (const auto& address : listed)
      if (auto server = numericServer(address, 53)) servers.push_back(*server);
  }
  std::optional<std::vector<unsigned char>> query = buildQuery(name, typeNumber);
  if (!query) {
    result.cause = "error";
    result.detail = "cannot build a query for that name";
    return result;
  }
  DnsExchange exchange = exchangeDns(*query, servers, deadline);
  result.ms = msSince(start);
  if (!exchange.failure.empty()) {
    result.cause = exchange.failure;
    result.detail = exchange.detail;
    return result;
  }
  readReply(exchange.reply, typeNumber, result);
  return result;
}

std::string DnsQueryResult::describe(const std::string& name, const std::string& type) const {
  if (ok())
    return fmt::format("{} {} {} ({}, {} ms)", name, type, fmt::join(records, ", "), server, ms);
  if (cause == "nxdomain")
    return fmt::format("{}: name does not exist (NXDOMAIN from {})", name, server);
  if (cause == "servfail")
    return fmt::format("{}: server failure (SERVFAIL from {}: it could not resolve the name)", name,
                       server);
  if (cause == "refused") return fmt::format("{}: query refused by {} (REFUSED)", name, server);
  if (cause == "rcode") return fmt::format("{}: {} answered {}", name, server, rcode);
  if (cause == "no_data")
    return fmt::format(
        "{} exists but has no {} record ({} from {}{})", name, type, rcode, server,
        aliases.empty() ? "" : fmt::format(", alias of {}", fmt::join(aliases, " -> ")));
  if (cause == "malformed")
    return fmt::format("{}: malformed reply from {}: {}", name, server, detail);
  if (cause == "truncated")
    return fmt::format(
        "{}: reply from {} truncated over UDP, and no answer over TCP ({}): the records are "
        "incomplete",
        name, server, detail);
  if (cause == "timed_out")
    return fmt::format("no answer from DNS server {} within {} ms (timed out: {})", server, ms,
                       detail.empty() ? "server down, or port 53 blocked" : detail);
  if (cause == "unreachable")
    return fmt::format("DNS server {} unreachable: {} (nothing listening there, or no route)",
                       server, detail);
  return fmt::format("{}: DNS query to {} failed: {}", name, server, detail);
}

Value DnsQueryResult::toValue() const {
  Object out;
  out["server"] = server;
  out["ok"] = ok();
  out["cause"] = cause;
  out["rcode"] = rcode;
  if (!detail.empty()) out["detail"] = detail;
  out["records"] = Array(records.begin(), records.end());
  out["aliases"] = Array(aliases.begin(), aliases.end());
  out["ms"] = ms;
  return out;
}

}  // namespace bbcheck
