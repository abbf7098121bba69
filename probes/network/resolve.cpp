#include "probes/network/resolve.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

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

// One getaddrinfo call that several checks of a run may wait on: dns.system
// and the net.* checks that resolve the same name then see one answer, never
// "resolves in 0 ms" beside "does not resolve". The call runs on a detached
// thread that owns this state, so a caller may stop waiting at its deadline.
struct SharedLookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  ResolveResult result;
  Clock::time_point finished;
};

namespace {

// Answers are shared for this long after they arrive: within one run, not
// across runs (a test process that changes the resolver between runs).
constexpr auto kShareFor = std::chrono::seconds(30);

std::shared_ptr<SharedLookup> startOrJoin(const std::string& host, int family, bool& joined) {
  static std::mutex cacheMutex;
  static std::map<std::pair<std::string, int>, std::shared_ptr<SharedLookup>> cache;
  static pid_t owner = 0;
  std::lock_guard<std::mutex> lock(cacheMutex);
  // A forked child inherits entries whose threads did not survive the fork.
  if (owner != ::getpid()) {
    cache.clear();
    owner = ::getpid();
  }
  auto key = std::make_pair(host, family);
  auto it = cache.find(key);
  if (it != cache.end()) {
    std::lock_guard<std::mutex> entryLock(it->second->mutex);
    if (!it->second->done || Clock::now() - it->second->finished < kShareFor) {
      joined = true;
      return it->second;
    }
  }
  auto lookup = std::make_shared<SharedLookup>();
  std::thread([lookup, host, family] {
    auto start = Clock::now();
    ResolveResult result = lookUp(host, family);
    result.ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - start).count();
    std::lock_guard<std::mutex> entryLock(lookup->mutex);
    lookup->result = std::move(result);
    lookup->finished = Clock::now();
    lookup->done = true;
    lookup->done_cv.notify_all();
  }).detach();  // throws std::system_error when no thread can be made
  cache[key] = lookup;
  joined = false;
  return lookup;
}

}  // namespace

PendingResolve startResolve(const std::string& host, int family) {
  PendingResolve pending;
  pending.start = Clock::now();
  // An address literal needs no resolver, so it cannot block: no thread.
  unsigned char literal[sizeof(in6_addr)];
  if (::inet_pton(AF_INET, host.c_str(), literal) == 1 ||
      ::inet_pton(AF_INET6, host.c_str(), literal) == 1) {
    pending.ready = lookUp(host, family);
    pending.ready->ms =
        std::chrono::duration_cast<Milliseconds>(Clock::now() - pending.start).count();
    return pending;
  }
  try {
    pending.lookup = startOrJoin(host, family, pending.joined);
  } catch (const std::system_error& e) {
    ResolveResult failed;
    failed.error = fmt::format("cannot start a resolver thread: {}", e.what());
    pending.ready = failed;
  }
  return pending;
}

ResolveResult awaitResolve(const PendingResolve& pending, Clock::time_point deadline) {
  if (pending.ready) return *pending.ready;
  std::unique_lock<std::mutex> lock(pending.lookup->mutex);
  if (pending.lookup->done_cv.wait_until(lock, deadline, [&] { return pending.lookup->done; })) {
    ResolveResult result = pending.lookup->result;  // ms: how long the lookup itself took
    result.shared = pending.joined;
    return result;
  }
  ResolveResult result;
  result.timed_out = true;
  result.error = "no answer from the resolver before the deadline";
  result.ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - pending.start).count();
  return result;
}

ResolveResult resolveWithDeadline(const std::string& host, Clock::time_point deadline, int family) {
  return awaitResolve(startResolve(host, family), deadline);
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
