// Reads a DNS reply (RFC 1035 wire format) with libresolv's ns_* parser.
// The bytes come from whatever answered on the server's port, so nothing in
// them is trusted: every record of the asked type (and every CNAME on the
// way) must fit both its type's layout and the message, else the whole
// reply is malformed -- never a record made of bytes past its end.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bbcheck {

struct DnsReply {
  std::string malformed;             // what is wrong with the message; "" when well-formed
  std::string rcode;                 // "NOERROR", "NXDOMAIN", ... ("" when malformed)
  bool truncated = false;            // the TC bit: the server had more than fitted
  std::vector<std::string> records;  // rdata of the asked type, e.g. "10 mx.example."
  std::vector<std::string> aliases;  // CNAME targets followed on the way
};

// Parses `length` bytes of a reply to a query of type number `type`.
DnsReply parseDnsReply(const unsigned char* bytes, size_t length, int type);

}  // namespace bbcheck
