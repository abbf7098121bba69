#include "probes/network/dns_reply.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fmt/format.h>
#include <resolv.h>

#include <stdexcept>

namespace bbcheck {
namespace {

std::string rcodeName(int rcode) {
  static const char* names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
  return rcode >= 0 && rcode < 6 ? names[rcode] : fmt::format("RCODE{}", rcode);
}

// Thrown while reading one record; becomes DnsReply::malformed.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One record's data: reads advance `at` and never pass `size`.
class RdataReader {
 public:
  RdataReader(const ns_msg& msg, const ns_rr& rr)
      : msg_(msg), data_(ns_rr_rdata(rr)), size_(ns_rr_rdlen(rr)), type_(ns_rr_type(rr)) {}

  size_t left() const { return size_ - at_; }
  const unsigned char* take(size_t n) {
    if (n > left())
      throw Malformed(fmt::format("{} record data ends after {} bytes, {} more needed", typeName(),
                                  size_, n - left()));
    const unsigned char* start = data_ + at_;
    at_ += n;
    return start;
  }
  unsigned take8() { return *take(1); }
  unsigned take16() { return ns_get16(take(2)); }
  unsigned long take32() { return ns_get32(take(4)); }
  // A domain name, possibly compressed; dn_expand stops at the message's end
  // and refuses pointer loops; the bytes it used must lie inside the record.
  std::string takeName() {
    char name[NS_MAXDNAME];
    int used = ::dn_expand(ns_msg_base(msg_), ns_msg_end(msg_), data_ + at_, name, sizeof name);
    if (used < 0) throw Malformed(fmt::format("{} record holds a bad domain name", typeName()));
    take(static_cast<size_t>(used));
    return std::string(name) + ".";
  }
  std::string takeText(size_t n) { return std::string(reinterpret_cast<const char*>(take(n)), n); }
  void expectEnd() {
    if (left() != 0)
      throw Malformed(fmt::format("{} record has {} stray bytes", typeName(), left()));
  }
  std::string typeName() const {
    switch (type_) {
      case ns_t_a:
        return "A";
      case ns_t_aaaa:
        return "AAAA";
      case ns_t_cname:
        return "CNAME";
      case ns_t_ns:
        return "NS";
      case ns_t_ptr:
        return "PTR";
      case ns_t_mx:
        return "MX";
      case ns_t_srv:
        return "SRV";
      case ns_t_txt:
        return "TXT";
      case ns_t_soa:
        return "SOA";
      case ns_t_caa:
        return "CAA";
      default:
        return fmt::format("type {}", type_);
    }
  }

  const ns_msg& msg_;
  const unsigned char* data_;
  size_t size_;
  int type_;
  size_t at_ = 0;
};

std::string address(int family, const unsigned char* bytes) {
  char text[INET6_ADDRSTRLEN];
  return ::inet_ntop(family, bytes, text, sizeof text);
}

// The record's data in zone-file presentation (for the common types).
std::string recordText(const ns_msg& msg, const ns_rr& rr) {
  RdataReader in(msg, rr);
  std::string text;
  switch (ns_rr_type(rr)) {
    case ns_t_a:
      text = address(AF_INET, in.take(4));
      break;
    case ns_t_aaaa:
      text = address(AF_INET6, in.take(16));
      break;
    case ns_t_cname:
    case ns_t_ns:
    case ns_t_ptr:
      text = in.takeName();
      break;
    case ns_t_mx: {
      unsigned preference = in.take16();
      text = fmt::format("{} {}", preference, in.takeName());
      break;
    }
    case ns_t_srv: {
      unsigned priority = in.take16(), weight = in.take16(), port = in.take16();
      text = fmt::format("{} {} {} {}", priority, weight, port, in.takeName());
      break;
    }
    case ns_t_txt:  // <length><bytes> character-strings, concatenated
      while (in.left() > 0) text += in.takeText(in.take8());
      break;
    case ns_t_soa: {
      std::string primary = in.takeName();
      std::string mailbox = in.takeName();
      unsigned long serial = in.take32(), refresh = in.take32(), retry = in.take32();
      unsigned long expire = in.take32(), minimum = in.take32();
      text = fmt::format("{} {} {} {} {} {} {}", primary, mailbox, serial, refresh, retry, expire,
                         minimum);
      break;
    }
    case ns_t_caa: {  // flags, tag length, tag, value
      unsigned flags = in.take8();
      std::string tag = in.takeText(in.take8());
      text = fmt::format("{} {} \"{}\"", flags, tag, in.takeText(in.left()));
      break;
    }
    default:
      return fmt::format("type {} ({} bytes)", ns_rr_type(rr), ns_rr_rdlen(rr));
  }
  in.expectEnd();
  return text;
}

}  // namespace

DnsReply parseDnsReply(const unsigned char* bytes, size_t length, int type) {
  DnsReply reply;
  if (length < NS_HFIXEDSZ) {
    reply.malformed =
        fmt::format("{} bytes, shorter than a DNS header ({} bytes)", length, NS_HFIXEDSZ);
    return reply;
  }
  ns_msg msg;
  if (::ns_initparse(bytes, static_cast<int>(std::min<size_t>(length, 65535)), &msg) != 0) {
    reply.malformed = fmt::format("its header counts more records than its {} bytes hold", length);
    return reply;
  }
  reply.truncated = ns_msg_getflag(msg, ns_f_tc) != 0;
  std::vector<std::string> records, aliases;
  for (int i = 0; i < ns_msg_count(msg, ns_s_an); ++i) {
    ns_rr rr;
    if (::ns_parserr(&msg, ns_s_an, i, &rr) != 0) {
      reply.malformed = fmt::format("answer record {} runs past the end of the message", i + 1);
      return reply;
    }
    try {
      if (ns_rr_type(rr) == type)
        records.push_back(recordText(msg, rr));
      else if (ns_rr_type(rr) == ns_t_cname)
        aliases.push_back(recordText(msg, rr));
    } catch (const Malformed& e) {
      reply.malformed = fmt::format("answer record {}: {}", i + 1, e.what());
      return reply;
    }
  }
  reply.rcode = rcodeName(ns_msg_getflag(msg, ns_f_rcode));
  reply.records = std::move(records);
  reply.aliases = std::move(aliases);
  return reply;
}

}  // namespace bbcheck
