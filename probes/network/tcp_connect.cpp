#include "probes/network/tcp_connect.h"

#include <Poco/Net/StreamSocketImpl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "probes/elapsed.h"

namespace bbcheck {
namespace {

// When addresses fail differently, the summary names the most telling cause:
// a drop or reset on one address says more than "no IPv6 route" on another.
int causeRank(NetCause cause) {
  switch (cause) {
    case NetCause::LocalResources:  // this process could not even try
      return -1;
    case NetCause::TimedOut:
      return 0;
    case NetCause::Reset:
      return 1;
    case NetCause::Refused:
      return 2;
    case NetCause::Prohibited:
      return 3;
    case NetCause::HostUnreachable:
      return 4;
    case NetCause::NetworkUnreachable:
      return 5;
    default:
      return 6;
  }
}

// True when `address` ("127.0.0.1:80", "[::1]:80") is `host` itself.
bool isHostItself(const std::string& address, const std::string& host) {
  return address.rfind(host + ":", 0) == 0 || address.rfind("[" + host + "]:", 0) == 0;
}

struct Pending {
  int fd;
  size_t index;  // into attempts
};

AddressAttempt failed(const std::string& address, int err, Clock::time_point start) {
  return {address, false, classifyErrno(err), errnoText(err), msSince(start)};
}

// Starts a non-blocking connect; returns the fd (or -1 with `attempt` filled).
int startConnect(const ResolvedAddress& target, int port, Clock::time_point start,
                 AddressAttempt& attempt, bool& connectedAtOnce) {
  int fd = ::socket(target.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    attempt = failed(attempt.address, errno, start);
    return -1;
  }
  sockaddr_storage address = target.storage;
  if (target.family == AF_INET6)
    reinterpret_cast<sockaddr_in6*>(&address)->sin6_port = htons(static_cast<uint16_t>(port));
  else
    reinterpret_cast<sockaddr_in*>(&address)->sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), target.length) == 0) {
    connectedAtOnce = true;
    return fd;
  }
  if (errno == EINPROGRESS) return fd;
  attempt = failed(attempt.address, errno, start);
  ::close(fd);
  return -1;
}

void adoptSocket(TcpAttempt& result, int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);  // Poco's impl assumes blocking
  result.socket = Poco::Net::StreamSocket(new Poco::Net::StreamSocketImpl(fd));
}

void summariseFailure(TcpAttempt& result) {
  std::vector<std::string> phrases;
  NetCause worst = NetCause::Other;
  for (const auto& attempt : result.attempts) {
    phrases.push_back(describeAddressAttempt(attempt));
    if (causeRank(attempt.cause) < causeRank(worst)) worst = attempt.cause;
  }
  result.cause = result.attempts.empty() ? NetCause::Other : worst;
  result.detail = fmt::format("{}", fmt::join(phrases, "; "));
}

}  // namespace

std::string describeAddressAttempt(const AddressAttempt& a) {
  switch (a.cause) {
    case NetCause::None:
      return fmt::format("{} answered in {} ms", a.address, a.ms);
    case NetCause::Refused:
      return fmt::format("connection refused by {}", a.address);
    case NetCause::TimedOut:
      return fmt::format(
          "no answer from {} within {} ms (timed out: dropped by a firewall, or host down)",
          a.address, a.ms);
    case NetCause::NetworkUnreachable:
      return fmt::format("network unreachable for {} (no route)", a.address);
    case NetCause::HostUnreachable:
      return fmt::format("host unreachable: {} ({})", a.address, a.detail);
    case NetCause::Prohibited:
      return fmt::format("{} administratively prohibited ({})", a.address, a.detail);
    case NetCause::Reset:
      return fmt::format("connection reset by {}", a.address);
    default:
      return fmt::format("{}: {}", a.address, a.detail);
  }
}

namespace {

// Connects to every address at once; the first to connect wins.
class Race {
 public:
  void startAll(const ResolveResult& resolved, int port) {
    for (const auto& target : resolved.addresses) {
      AddressAttempt attempt;
      attempt.address = target.withPort(port);
      bool atOnce = false;
      int fd = startConnect(target, port, start_, attempt, atOnce);
      attempts_.push_back(attempt);
      if (fd < 0) continue;
      pending_.push_back({fd, attempts_.size() - 1});
      if (atOnce) {
        settle(pending_.back(), 0);
        return;
      }
    }
  }

  // Polls until one connects, all have failed, or the deadline.
  void waitUntil(Clock::time_point deadline) {
    while (winner_ < 0 && !pending_.empty()) {
      auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return;
      std::vector<pollfd> fds;
      for (const auto& p : pending_) fds.push_back({p.fd, POLLOUT, 0});
      if (::poll(fds.data(), fds.size(), static_cast<int>(left)) < 0 && errno != EINTR) return;
      std::vector<Pending> ready;
      for (size_t i = 0; i < fds.size(); ++i)
        if (fds[i].revents != 0) ready.push_back(pending_[i]);
      for (const auto& p : ready) {
        if (winner_ >= 0) break;
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        settle(p, err);
      }
    }
  }

  // Closes the losers. Returns the winning fd (or -1) and the attempts to
  // report: those still connecting when another won are left out.
  int finish(std::vector<AddressAttempt>& report) {
    for (const auto& p : pending_) {
      ::close(p.fd);
      if (winner_ < 0)
        attempts_[p.index] = {attempts_[p.index].address, false, NetCause::TimedOut,
                              "no answer before the deadline", msSince(start_)};
      else
        attempts_[p.index].address.clear();  // lost the race: not reported
    }
    for (const auto& a : attempts_)
      if (!a.address.empty()) report.push_back(a);
    return winner_;
  }

  int64_t elapsed() const { return msSince(start_); }

 private:
  // Records the end of one pending connect (err 0: connected).
  void settle(const Pending& p, int err) {
    AddressAttempt& attempt = attempts_[p.index];
    if (err == 0) {
      winner_ = p.fd;
      attempt = {attempt.address, true, NetCause::None, "", msSince(start_)};
    } else {
      attempt = failed(attempt.address, err, start_);
      ::close(p.fd);
    }
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [&](const Pending& q) { return q.fd == p.fd; }),
                   pending_.end());
  }

  Clock::time_point start_ = Clock::now();
  std::vector<AddressAttempt> attempts_;
  std::vector<Pending> pending_;
  int winner_ = -1;
};

}  // namespace

TcpAttempt connectResolved(const std::string& host, int port, const ResolveResult& resolved,
                           Clock::time_point deadline) {
  TcpAttempt result;
  result.host = host;
  result.port = port;
  result.resolved = resolved;
  Race race;
  race.startAll(resolved, port);
  race.waitUntil(deadline);
  int winner = race.finish(result.attempts);
  if (winner < 0) {
    result.ms = race.elapsed();
    summariseFailure(result);
    return result;
  }
  adoptSocket(result, winner);
  for (const auto& a : result.attempts) {
    if (!a.ok) continue;
    result.ok = true;
    result.address = a.address;
    result.ms = a.ms;
  }
  return result;
}

NetCause resolveFailureCause(const ResolveResult& resolved) {
  if (resolved.timed_out) return NetCause::DnsTimeout;
  if (isLocalShortage(classifyErrno(resolved.system_errno))) return NetCause::LocalResources;
  return NetCause::DnsFailure;
}

TcpAttempt connectWithDeadline(const std::string& host, int port, Clock::time_point deadline) {
  ResolveResult resolved = resolveWithDeadline(host, deadline);
  if (resolved.ok) return connectResolved(host, port, resolved, deadline);
  TcpAttempt result;
  result.host = host;
  result.port = port;
  result.ms = resolved.ms;
  result.cause = resolveFailureCause(resolved);
  result.detail = describeResolveFailure(resolved);
  result.resolved = std::move(resolved);
  return result;
}

std::string TcpAttempt::describe() const {
  if (ok) {
    if (isHostItself(address, host)) return fmt::format("connected to {} in {} ms", address, ms);
    return fmt::format("connected to {}:{} via {} in {} ms", host, port, address, ms);
  }
  if (cause == NetCause::DnsFailure || cause == NetCause::DnsTimeout)
    return fmt::format("{} did not resolve: {}", host, detail);
  if (attempts.size() == 1 && isHostItself(attempts[0].address, host)) return detail;
  return fmt::format("cannot connect to {}:{}: {}", host, port, detail);
}

Value TcpAttempt::toValue() const {
  Object out;
  out["host"] = host;
  out["port"] = port;
  out["ok"] = ok;
  out["address"] = address;
  out["ms"] = ms;
  out["cause"] = std::string(causeName(cause));
  out["detail"] = detail;
  Array ips;
  for (const auto& a : resolved.addresses) ips.push_back(a.ip());
  out["resolved"] = ips;
  Array list;
  for (const auto& a : attempts) {
    Object one;
    one["address"] = a.address;
    one["ok"] = a.ok;
    one["cause"] = std::string(causeName(a.cause));
    one["detail"] = a.detail;
    one["ms"] = a.ms;
    list.push_back(one);
  }
  out["attempts"] = list;
  return out;
}

}  // namespace bbcheck
