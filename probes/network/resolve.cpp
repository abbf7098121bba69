#include "probes/network/resolve.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "probes/deadline_call.h"
#include "probes/net_errors.h"

namespace bbcheck {

std::string ResolvedAddress::ip() const {
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw =
      family == AF_INET6
          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr)
          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr);
  ::inet_ntop(family, raw, text, sizeof text);
  return text;
}

std::string ResolvedAddress::withPort(int port) const {
  return family == AF_INET6 ? fmt::format("[{}]:{}", ip(), port) : fmt::format("{}:{}", ip(), port);
}

namespace {

ResolveResult lookUp(const std::string& host, int family) {
  ResolveResult result;
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  // No AI_ADDRCONFIG: every address is tried, so a missing IPv6 route shows
  // up as "network unreachable" rather than being hidden.
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    result.gai_error = rc;
    if (rc == EAI_SYSTEM) result.system_errno = errno;
    result.error = rc == EAI_SYSTEM ? errnoText(result.system_errno) : ::gai_strerror(rc);
    return result;
  }
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    ResolvedAddress address;
    std::memcpy(&address.storage, ai->ai_addr, ai->ai_addrlen);
    address.length = ai->ai_addrlen;
    address.family = ai->ai_family;
    bool seen = false;
    for (const auto& other : result.addresses) seen = seen || other.ip() == address.ip();
    if (!seen) result.addresses.push_back(address);
  }
  ::freeaddrinfo(list);
  result.ok = !result.addresses.empty();
  if (!result.ok) result.error = "no IPv4 or IPv6 address";
  return result;
}

}  // namespace

ResolveResult resolveWithDeadline(const std::string& host, Clock::time_point deadline, int family) {
  auto start = Clock::now();
  // An address literal needs no resolver, so it cannot block: no thread.
  unsigned char literal[sizeof(in6_addr)];
  bool isLiteral = ::inet_pton(AF_INET, host.c_str(), literal) == 1 ||
                   ::inet_pton(AF_INET6, host.c_str(), literal) == 1;
  std::optional<ResolveResult> answer =
      isLiteral ? std::optional<ResolveResult>(lookUp(host, family))
                : callWithDeadline<ResolveResult>([host, family] { return lookUp(host, family); },
                                                  deadline);
  ResolveResult result;
  if (answer) {
    result = std::move(*answer);
  } else {
    result.timed_out = true;
    result.error = "no answer from the resolver before the deadline";
  }
  result.ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - start).count();
  return result;
}

std::string describeResolveFailure(const ResolveResult& result) {
  if (result.timed_out) return fmt::format("resolver did not answer within {} ms", result.ms);
  switch (result.gai_error) {
    case EAI_NONAME:
      return fmt::format("name does not exist ({})", result.error);
    case EAI_NODATA:
      return fmt::format("name has no address ({})", result.error);
    case EAI_AGAIN:
      return fmt::format("DNS server unreachable or not answering ({})", result.error);
    case EAI_FAIL:
      return fmt::format("DNS server failure ({})", result.error);
    default:
      return result.error;
  }
}

}  // namespace bbcheck
