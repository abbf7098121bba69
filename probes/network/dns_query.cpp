#include "probes/network/dns_query.h"

#include <Poco/String.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <resolv.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "probes/deadline_call.h"
#include "probes/net_errors.h"
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

std::string rcodeName(int rcode) {
  static const char* names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
  return rcode >= 0 && rcode < 6 ? names[rcode] : fmt::format("RCODE{}", rcode);
}

int64_t msSince(Clock::time_point start) {
  return std::chrono::duration_cast<Milliseconds>(Clock::now() - start).count();
}

// A server to query: its address with the port set.
struct Server {
  sockaddr_storage address{};
  int family = AF_INET;
  std::string text;  // "127.0.0.1:5353"
};

// What res_nsend gave back.
struct RawReply {
  int length = -1;  // -1: no reply
  int error = 0;    // errno when no reply
  std::string setup_error;
  std::vector<unsigned char> bytes;
};

// The resolver's own schedule (retrans << try seconds, whole seconds only)
// stretched to cover the time left; the deadline cuts it where it ends.
void fitTimeouts(res_state state, Milliseconds left) {
  int seconds = static_cast<int>((left.count() + 999) / 1000);
  if (seconds >= 3) {  // two tries: retrans + 2 * retrans
    state->retry = 2;
    state->retrans = (seconds + 2) / 3;
  } else {
    state->retry = 1;
    state->retrans = seconds > 0 ? seconds : 1;
  }
}

// Points the resolver state at our servers. glibc reads an IPv6 server from
// _u._ext.nsaddrs when nsaddr_list's family is 0 (as res_init does).
void setServers(res_state state, const std::vector<Server>& servers) {
  state->nscount = 0;
  for (const auto& server : servers) {
    int n = state->nscount;
    if (n >= MAXNS) break;
    if (server.family == AF_INET) {
      std::memcpy(&state->nsaddr_list[n], &server.address, sizeof(sockaddr_in));
    } else {
      auto* six = static_cast<sockaddr_in6*>(std::malloc(sizeof(sockaddr_in6)));
      std::memcpy(six, &server.address, sizeof(sockaddr_in6));
      std::free(state->_u._ext.nsaddrs[n]);
      state->_u._ext.nsaddrs[n] = six;
      state->nsaddr_list[n].sin_family = 0;
    }
    state->nscount = n + 1;
  }
}

RawReply sendQuery(const std::string& name, int type, const std::vector<Server>& servers,
                   Milliseconds left) {
  RawReply reply;
  struct __res_state state;
  std::memset(&state, 0, sizeof state);
  if (::res_ninit(&state) != 0) {
    reply.setup_error = "res_ninit failed";
    return reply;
  }
  if (!servers.empty()) setServers(&state, servers);
  fitTimeouts(&state, left);
  // A nonzero pfcode makes glibc hand back SERVFAIL/REFUSED replies instead
  // of retrying them into a timeout ("don't retry if called from dig").
  state.pfcode = RES_PRF_HEAD1;
  unsigned char query[NS_PACKETSZ];
  int queryLength = ::res_nmkquery(&state, ns_o_query, name.c_str(), ns_c_in, type, nullptr, 0,
                                   nullptr, query, sizeof query);
  if (queryLength < 0) {
    reply.setup_error = "cannot build a query for that name";
    ::res_nclose(&state);
    return reply;
  }
  reply.bytes.resize(65536);
  errno = 0;
  reply.length = ::res_nsend(&state, query, queryLength, reply.bytes.data(), reply.bytes.size());
  reply.error = errno;
  ::res_nclose(&state);
  return reply;
}

// The (possibly compressed) name at `at`; `used` gets its length there.
std::string expandName(const ns_msg& msg, const unsigned char* at, int* used = nullptr) {
  char name[NS_MAXDNAME];
  int length = ::dn_expand(ns_msg_base(msg), ns_msg_end(msg), at, name, sizeof name);
  if (used) *used = length < 0 ? 0 : length;
  if (length < 0) return "?";
  return std::string(name) + ".";
}

std::string soaText(const ns_msg& msg, const unsigned char* data) {
  int first = 0, second = 0;
  std::string primary = expandName(msg, data, &first);
  std::string mailbox = expandName(msg, data + first, &second);
  const unsigned char* numbers = data + first + second;
  return fmt::format("{} {} {} {} {} {} {}", primary, mailbox, ns_get32(numbers),
                     ns_get32(numbers + 4), ns_get32(numbers + 8), ns_get32(numbers + 12),
                     ns_get32(numbers + 16));
}

// <length><bytes> character-strings, concatenated (TXT).
std::string characterStrings(const unsigned char* data, int size) {
  std::string joined;
  for (int i = 0; i < size;) {
    int length = data[i];
    joined.append(reinterpret_cast<const char*>(data + i + 1), std::min(length, size - i - 1));
    i += length + 1;
  }
  return joined;
}

// The record's data in zone-file presentation (for the common types).
std::string recordText(const ns_msg& msg, const ns_rr& rr) {
  const unsigned char* data = ns_rr_rdata(rr);
  char text[INET6_ADDRSTRLEN];
  switch (ns_rr_type(rr)) {
    case ns_t_a:
      return ::inet_ntop(AF_INET, data, text, sizeof text);
    case ns_t_aaaa:
      return ::inet_ntop(AF_INET6, data, text, sizeof text);
    case ns_t_cname:
    case ns_t_ns:
    case ns_t_ptr:
      return expandName(msg, data);
    case ns_t_mx:
      return fmt::format("{} {}", ns_get16(data), expandName(msg, data + 2));
    case ns_t_srv:
      return fmt::format("{} {} {} {}", ns_get16(data), ns_get16(data + 2), ns_get16(data + 4),
                         expandName(msg, data + 6));
    case ns_t_txt:
      return characterStrings(data, ns_rr_rdlen(rr));
    case ns_t_soa:
      return soaText(msg, data);
    case ns_t_caa: {  // flags, tag length, tag, value
      int tagLength = data[1];
      const char* tag = reinterpret_cast<const char*>(data + 2);
      return fmt::format("{} {} \"{}\"", data[0], std::string(tag, tagLength),
                         std::string(tag + tagLength, ns_rr_rdlen(rr) - 2 - tagLength));
    }
    default:
      return fmt::format("type {} ({} bytes)", ns_rr_type(rr), ns_rr_rdlen(rr));
  }
}

void readReply(const RawReply& reply, int type, DnsQueryResult& result) {
  ns_msg msg;
  if (::ns_initparse(reply.bytes.data(), reply.length, &msg) != 0) {
    result.cause = "error";
    result.detail = "unparsable reply";
    return;
  }
  int rcode = ns_msg_getflag(msg, ns_f_rcode);
  result.rcode = rcodeName(rcode);
  for (int i = 0; i < ns_msg_count(msg, ns_s_an); ++i) {
    ns_rr rr;
    if (::ns_parserr(&msg, ns_s_an, i, &rr) != 0) continue;
    if (ns_rr_type(rr) == type)
      result.records.push_back(recordText(msg, rr));
    else if (ns_rr_type(rr) == ns_t_cname)
      result.aliases.push_back(recordText(msg, rr));
  }
  if (rcode == ns_r_nxdomain)
    result.cause = "nxdomain";
  else if (rcode == ns_r_servfail)
    result.cause = "servfail";
  else if (rcode == ns_r_refused)
    result.cause = "refused";
  else if (rcode != ns_r_noerror)
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
std::string findServer(const std::string& text, Clock::time_point deadline, Server& server) {
  std::string host;
  int port = 53;
  if (!splitHostPort(text, host, port))
    return fmt::format("cannot read server '{}' (want host[:port])", text);
  ResolveResult resolved = resolveWithDeadline(host, deadline);
  if (!resolved.ok)
    return fmt::format("DNS server name {} did not resolve: {}", host,
                       describeResolveFailure(resolved));
  const ResolvedAddress& address = resolved.addresses.front();
  server.family = address.family;
  server.address = address.storage;
  uint16_t networkPort = htons(static_cast<uint16_t>(port));
  if (address.family == AF_INET6)
    reinterpret_cast<sockaddr_in6*>(&server.address)->sin6_port = networkPort;
  else
    reinterpret_cast<sockaddr_in*>(&server.address)->sin_port = networkPort;
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

std::vector<std::string> resolvConfNameservers(const std::string& path) {
  std::vector<std::string> servers;
  std::ifstream in(path);
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
  std::vector<Server> servers;
  if (!serverText.empty()) {
    Server server;
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
  }
  auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now());
  std::optional<RawReply> reply = callWithDeadline<RawReply>(
      [name, typeNumber, servers, left] { return sendQuery(name, typeNumber, servers, left); },
      deadline);
  result.ms = msSince(start);
  if (!reply) {
    result.cause = "timed_out";
  } else if (!reply->setup_error.empty()) {
    result.cause = "error";
    result.detail = reply->setup_error;
  } else if (reply->length < 0) {
    // glibc: ECONNREFUSED when no server could be reached at all (ICMP
    // unreachable), ETIMEDOUT when they were sent queries but never answered.
    NetCause cause = classifyErrno(reply->error);
    result.cause = cause == NetCause::TimedOut ? "timed_out"
                   : cause == NetCause::Other  ? "error"
                                               : "unreachable";
    result.detail = errnoText(reply->error);
  } else {
    readReply(*reply, typeNumber, result);
  }
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
  if (cause == "timed_out")
    return fmt::format(
        "no answer from DNS server {} within {} ms (timed out: server down, or port 53 blocked)",
        server, ms);
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
