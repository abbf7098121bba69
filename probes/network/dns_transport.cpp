#include "probes/network/dns_transport.h"

#include <arpa/nameser.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "probes/net_errors.h"

namespace bbcheck {
namespace {

// A socket closed when it goes out of scope.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};

int msLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 24 * 3600 * 1000));
}

// Waits for `events` on fd until `deadline`: true when ready.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, msLeft(deadline));
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

bool matchesQuery(const std::vector<unsigned char>& query, const unsigned char* reply) {
  return reply[0] == query[0] && reply[1] == query[1] && (reply[2] & 0x80) != 0;  // id, QR
}

// Reads exactly n bytes from a stream socket before the deadline.
bool readExactly(int fd, unsigned char* out, size_t n, Clock::time_point deadline, int& error) {
  size_t got = 0;
  while (got < n) {
    if (!waitFor(fd, POLLIN, deadline)) {
      error = ETIMEDOUT;
      return false;
    }
    ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r <= 0) {
      error = r == 0 ? ECONNRESET : errno;
      return false;
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

// The same query over TCP (RFC 7766): two-byte length, then the message.
DnsExchange overTcp(const std::vector<unsigned char>& query, const DnsServerAddress& server,
                    Clock::time_point deadline) {
  DnsExchange out;
  out.server = server.text;
  auto fail = [&](const std::string& cause, int error) {
    out.failure = cause;
    out.detail = error == ETIMEDOUT ? "timed out" : errnoText(error);
    return out;
  };
  Socket s(::socket(server.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (s.fd < 0) return fail("error", errno);
  if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&server.address), server.length) != 0) {
    if (errno != EINPROGRESS) return fail("truncated", errno);
    if (!waitFor(s.fd, POLLOUT, deadline)) return fail("truncated", ETIMEDOUT);
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return fail("truncated", error);
  }
  std::vector<unsigned char> framed = {static_cast<unsigned char>(query.size() >> 8),
                                       static_cast<unsigned char>(query.size() & 0xff)};
  framed.insert(framed.end(), query.begin(), query.end());
  if (::send(s.fd, framed.data(), framed.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(framed.size()))
    return fail("truncated", errno);
  unsigned char length[2];
  int error = 0;
  if (!readExactly(s.fd, length, 2, deadline, error)) return fail("truncated", error);
  out.reply.resize(static_cast<size_t>(length[0] << 8 | length[1]));
  if (!readExactly(s.fd, out.reply.data(), out.reply.size(), deadline, error)) {
    out.reply.clear();
    return fail("truncated", error);
  }
  if (out.reply.size() < NS_HFIXEDSZ) {
    out.failure = "malformed";
    out.detail =
        fmt::format("{} bytes over TCP, shorter than a DNS header (12 bytes)", out.reply.size());
    out.reply.clear();
  }
  return out;
}

// One server over UDP until `until`: a reply, or why none.
DnsExchange overUdp(const std::vector<unsigned char>& query, const DnsServerAddress& server,
                    Clock::time_point until, Clock::time_point deadline) {
  DnsExchange out;
  out.server = server.text;
  Socket s(::socket(server.address.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  // connect(): ICMP "port unreachable" then comes back as ECONNREFUSED, and
  // datagrams from any other address are not even delivered.
  if (s.fd < 0 ||
      ::connect(s.fd, reinterpret_cast<const sockaddr*>(&server.address), server.length) != 0 ||
      ::send(s.fd, query.data(), query.size(), 0) < 0) {
    int error = errno;
    out.failure = classifyErrno(error) == NetCause::Other ? "error" : "unreachable";
    out.detail = errnoText(error);
    return out;
  }
  int ignored = 0;
  std::vector<unsigned char> buffer(65536);
  // A datagram may be lost: the query goes once more halfway through.
  Clock::time_point resendAt = Clock::now() + (until - Clock::now()) / 2;
  bool resent = false;
  for (;;) {
    if (!resent && !waitFor(s.fd, POLLIN, resendAt)) {
      resent = true;
      (void)::send(s.fd, query.data(), query.size(), 0);
      continue;
    }
    if (!waitFor(s.fd, POLLIN, until)) {
      out.failure = "timed_out";
      if (ignored > 0)
        out.detail = fmt::format("ignored {} repl{} whose id did not match the query", ignored,
                                 ignored == 1 ? "y" : "ies");
      return out;
    }
    ssize_t n = ::recv(s.fd, buffer.data(), buffer.size(), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      int error = errno;
      out.failure = classifyErrno(error) == NetCause::Other ? "error" : "unreachable";
      out.detail = errnoText(error);
      return out;
    }
    if (static_cast<size_t>(n) < NS_HFIXEDSZ) {
      out.failure = "malformed";
      out.detail = fmt::format("{} bytes, shorter than a DNS header (12 bytes)", n);
      return out;
    }
    if (!matchesQuery(query, buffer.data())) {
      ++ignored;
      continue;
    }
    buffer.resize(static_cast<size_t>(n));
    if (buffer[2] & 0x02) return overTcp(query, server, deadline);  // TC: the rest is over TCP
    out.reply = std::move(buffer);
    return out;
  }
}

}  // namespace

DnsExchange exchangeDns(const std::vector<unsigned char>& query,
                        const std::vector<DnsServerAddress>& servers, Clock::time_point deadline) {
  DnsExchange last;
  last.failure = "error";
  last.detail = "no DNS server to ask";
  for (size_t i = 0; i < servers.size(); ++i) {
    auto share = (deadline - Clock::now()) / static_cast<int>(servers.size() - i);
    DnsExchange attempt = overUdp(query, servers[i], Clock::now() + share, deadline);
    // A server that answered, even badly, has spoken for the query.
    if (attempt.failure.empty() || attempt.failure == "malformed" || attempt.failure == "truncated")
      return attempt;
    last = std::move(attempt);
    if (Clock::now() >= deadline) break;
  }
  return last;
}

}  // namespace bbcheck
