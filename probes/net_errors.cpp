#include "probes/net_errors.h"

#include <cerrno>
#include <cstring>

namespace bbcheck {

const char* causeName(NetCause cause) {
  switch (cause) {
    case NetCause::None:
      return "none";
    case NetCause::DnsFailure:
      return "dns_failure";
    case NetCause::DnsTimeout:
      return "dns_timeout";
    case NetCause::Refused:
      return "refused";
    case NetCause::TimedOut:
      return "timed_out";
    case NetCause::NetworkUnreachable:
      return "network_unreachable";
    case NetCause::HostUnreachable:
      return "host_unreachable";
    case NetCause::Prohibited:
      return "prohibited";
    case NetCause::Reset:
      return "reset";
    case NetCause::TlsHandshake:
      return "tls_handshake";
    case NetCause::TlsUntrusted:
      return "tls_untrusted";
    case NetCause::TlsExpired:
      return "tls_expired";
    case NetCause::TlsNameMismatch:
      return "tls_name_mismatch";
    case NetCause::TlsVerify:
      return "tls_verify";
    case NetCause::WrongProtocol:
      return "wrong_protocol";
    case NetCause::LocalResources:
      return "local_resources";
    case NetCause::Other:
      return "other";
  }
  return "other";
}

const char* causeText(NetCause cause) {
  switch (cause) {
    case NetCause::None:
      return "ok";
    case NetCause::DnsFailure:
      return "name did not resolve";
    case NetCause::DnsTimeout:
      return "name resolution timed out";
    case NetCause::Refused:
      return "connection refused";
    case NetCause::TimedOut:
      return "timed out";
    case NetCause::NetworkUnreachable:
      return "network unreachable";
    case NetCause::HostUnreachable:
      return "host unreachable";
    case NetCause::Prohibited:
      return "administratively prohibited";
    case NetCause::Reset:
      return "connection reset";
    case NetCause::TlsHandshake:
      return "TLS handshake failed";
    case NetCause::TlsUntrusted:
      return "certificate not trusted";
    case NetCause::TlsExpired:
      return "certificate expired";
    case NetCause::TlsNameMismatch:
      return "certificate name mismatch";
    case NetCause::TlsVerify:
      return "certificate verification failed";
    case NetCause::WrongProtocol:
      return "wrong protocol";
    case NetCause::LocalResources:
      return "out of local resources (too many open files?)";
    case NetCause::Other:
      return "failed";
  }
  return "failed";
}

NetCause classifyErrno(int err) {
  switch (err) {
    case 0:
      return NetCause::None;
    case ECONNREFUSED:
      return NetCause::Refused;
    case ETIMEDOUT:
    case EAGAIN:
      return NetCause::TimedOut;  // EAGAIN: a socket receive timeout
    case ENETUNREACH:
    case ENETDOWN:
      return NetCause::NetworkUnreachable;
    case EHOSTUNREACH:
    case EHOSTDOWN:
      return NetCause::HostUnreachable;
    case EACCES:
    case EPERM:
      return NetCause::Prohibited;  // prohibit routes, local netfilter
    case ECONNRESET:
    case ECONNABORTED:
    case EPIPE:
      return NetCause::Reset;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      return NetCause::LocalResources;
    default:
      return NetCause::Other;
  }
}

bool isLocalShortage(NetCause cause) {
  return cause == NetCause::LocalResources;
}

std::string errnoText(int err) {
  char buffer[256];
  // GNU strerror_r returns the message, which may or may not be `buffer`.
  return ::strerror_r(err, buffer, sizeof buffer);
}

}  // namespace bbcheck
