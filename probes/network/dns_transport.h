// Sending one DNS query and receiving its reply: UDP, then TCP when the UDP
// reply is truncated, every wait cut at the deadline. Done here rather than
// by res_nsend, which hides what a hostile or broken server did: it turns a
// 3-byte reply into "timed out" and a truncated reply whose TCP retry fails
// into "connection refused".
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

struct DnsServerAddress {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string text;  // "127.0.0.1:5353"
};

struct DnsExchange {
  std::vector<unsigned char> reply;  // the whole reply; empty when none
  // "" with a reply; otherwise "timed_out", "unreachable" (ICMP: nothing on
  // that port, no route), "malformed" (too short for a DNS header),
  // "truncated" (TC over UDP, and TCP gave no answer), "error".
  std::string failure;
  std::string detail;  // what happened, for the message
  std::string server;  // the server that answered (or the last one tried)
};

// Asks each server in turn (each gets an equal share of the time left) until
// one replies. Replies whose id does not match the query are ignored, as a
// resolver must (they may be spoofed), and counted in `detail` on timeout.
DnsExchange exchangeDns(const std::vector<unsigned char>& query,
                        const std::vector<DnsServerAddress>& servers, Clock::time_point deadline);

}  // namespace bbcheck
