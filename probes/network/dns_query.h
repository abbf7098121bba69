// DNS queries sent directly to a server with libresolv (res_nsend, read with
// ns_initparse/ns_parserr), under a deadline, with the outcome classified:
// records, NXDOMAIN, SERVFAIL, REFUSED, no data, timed out, unreachable.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// The outcome of one DNS query sent to a server.
struct DnsQueryResult {
  std::string server;  // "127.0.0.1:53", or the resolv.conf servers
  // "" when the answer holds records of the type; otherwise "nxdomain",
  // "servfail", "refused" (REFUSED rcode), "no_data", "rcode" (another
  // rcode), "timed_out", "unreachable" (ICMP: no server on that port or
  // host), "malformed" (the reply breaks the DNS format: `detail` says
  // how), "truncated" (TC set over UDP and no answer over TCP), "error".
  std::string cause;
  std::string rcode;                 // "NOERROR", "NXDOMAIN", ... ("" when no reply)
  std::string detail;                // for "error": what went wrong
  std::vector<std::string> records;  // rdata of the asked type, e.g. "10 mx.example."
  std::vector<std::string> aliases;  // CNAME targets followed on the way
  int64_t ms = 0;

  bool ok() const { return cause.empty(); }
  // "found.test A 192.0.2.7 (127.0.0.1:5353, 1 ms)" or
  // "nope.test: name does not exist (NXDOMAIN from 127.0.0.1:5353)".
  std::string describe(const std::string& name, const std::string& type) const;
  // {"server","ok","cause","rcode","records":[...],"aliases":[...],"ms"}
  Value toValue() const;
};

// The record types understood ("A", "AAAA", "MX", ...).
std::vector<std::string> dnsTypeNames();

// The type number of a type name (any case); 0 for an unknown name.
int dnsTypeNumber(const std::string& type);

// Sends one query for `name`/`type` to `server` ("host", "host:port",
// "[v6]:port"; port 53 by default), or to the resolv.conf servers when
// `server` is empty. Never blocks past `deadline`.
DnsQueryResult queryDns(const std::string& name, const std::string& type, const std::string& server,
                        Clock::time_point deadline);

// The "nameserver" addresses of a resolv.conf file, in order. A missing file
// has none; one that exists but cannot be read sets `error` (when given).
std::vector<std::string> resolvConfNameservers(const std::string& path,
                                               std::string* error = nullptr);

// /etc/resolv.conf's nameservers, comma-separated, for messages.
std::string systemServersText();

}  // namespace bbcheck
