// Fuzzes the DNS reply parser with replies a hostile server could send. The
// first byte picks the record type asked for; the rest is the reply.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "probes/network/dns_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int kTypes[] = {1,  28, 5,  15, 2,
                               12, 6,  33, 16, 257};  // A AAAA CNAME MX NS PTR SOA SRV TXT CAA
  if (size < 1) return 0;
  int type = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
  // An exactly sized copy, so that ASan sees a read one byte past the end.
  std::vector<unsigned char> reply(data + 1, data + size);
  bbcheck::parseDnsReply(reply.data(), reply.size(), type);
  return 0;
}
