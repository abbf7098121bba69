#include "probes/system/localhost.h"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <net/if.h>
#include <netdb.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include "probes/net_errors.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

Poco::Timespan timespanUntil(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  // Poco treats a zero timeout as "block": keep at least 1 ms.
  return Poco::Timespan(std::max<int64_t>(left.count(), 1000));
}

// Poco puts the errno in code(); strerror() then reads like the kernel's
// answer ("Network is unreachable") whatever Poco's own wording is.
std::string reason(const Poco::Exception& e) {
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) return "timed out";
  if (e.code() > 0) return std::strerror(e.code());
  return e.displayText();
}

std::string hostPort(const std::string& address, int port) {
  return address.find(':') != std::string::npos ? fmt::format("[{}]:{}", address, port)
                                                : fmt::format("{}:{}", address, port);
}

// Reads exactly `size` bytes or throws Poco::TimeoutException at the deadline.
std::string receiveExactly(Poco::Net::StreamSocket& socket, size_t size,
                           Clock::time_point deadline) {
  std::string data;
  char buffer[256];
  while (data.size() < size) {
    socket.setReceiveTimeout(timespanUntil(deadline));
    int n =
        socket.receiveBytes(buffer, static_cast<int>(std::min(sizeof buffer, size - data.size())));
    if (n <= 0) break;  // closed early
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

// The round trip; throws with `stage` naming the step that failed.
void roundTrip(LoopbackResult& result, Clock::time_point deadline, std::string& stage) {
  Poco::Net::IPAddress ip(result.address);
  Poco::Net::ServerSocket server;
  stage = "cannot bind " + result.address;
  if (ip.family() == Poco::Net::IPAddress::IPv6) {
    server.bind6(Poco::Net::SocketAddress(ip, 0), false, false, true);
  } else {
    server.bind(Poco::Net::SocketAddress(ip, 0), false);
  }
  stage = "cannot listen on " + result.address;
  server.listen(4);
  result.port = server.address().port();
  std::string where = hostPort(result.address, result.port);

  stage = "cannot connect to " + where;
  Poco::Net::StreamSocket client;
  client.connect(Poco::Net::SocketAddress(ip, static_cast<Poco::UInt16>(result.port)),
                 timespanUntil(deadline));
  const std::string payload = fmt::format("bbcheck loopback {} {}", ::getpid(), result.port);
  stage = "cannot send to " + where;
  client.setSendTimeout(timespanUntil(deadline));
  client.sendBytes(payload.data(), static_cast<int>(payload.size()));

  stage = "connected, but the listener on " + where + " never accepted";
  if (!server.poll(timespanUntil(deadline), Poco::Net::Socket::SELECT_READ))
    throw Poco::TimeoutException();
  Poco::Net::StreamSocket peer = server.acceptConnection();
  stage = "no bytes arrived at " + where;
  std::string got = receiveExactly(peer, payload.size(), deadline);
  if (got != payload)
    throw Poco::IOException(fmt::format("{} of {} bytes", got.size(), payload.size()));
  stage = "no bytes came back from " + where;
  peer.setSendTimeout(timespanUntil(deadline));
  peer.sendBytes(got.data(), static_cast<int>(got.size()));
  std::string echoed = receiveExactly(client, payload.size(), deadline);
  if (echoed != payload)
    throw Poco::IOException(fmt::format("{} of {} bytes", echoed.size(), payload.size()));
}

std::string readFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

LoopbackResult loopbackRoundTrip(const std::string& family, const std::string& address,
                                 Clock::time_point deadline) {
  LoopbackResult result;
  result.family = family;
  result.address = address;
  auto start = Clock::now();
  std::string stage = "invalid address " + address;
  try {
    roundTrip(result, deadline, stage);
    result.ok = true;
  } catch (const Poco::Exception& e) {
    result.error = fmt::format("{} ({})", stage, reason(e));
    result.local_shortage = e.code() > 0 && isLocalShortage(classifyErrno(e.code()));
  }
  result.ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - start).count();
  return result;
}

std::string ipv6Unavailable() {
  int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) {
    if (errno == EAFNOSUPPORT)
      return "IPv6 is not supported by this kernel (booted with ipv6.disable=1?)";
  } else {
    ::close(fd);
  }
  for (const char* scope : {"lo", "all"}) {
    if (readFirstLine(fmt::format("/proc/sys/net/ipv6/conf/{}/disable_ipv6", scope)) == "1")
      return fmt::format("IPv6 is disabled (net.ipv6.conf.{}.disable_ipv6 = 1)", scope);
  }
  return "";
}

std::vector<std::string> resolveName(const std::string& name, Clock::time_point deadline,
                                     std::string& error) {
  // getaddrinfo() cannot be interrupted: it runs on its own thread, which is
  // left behind (and finishes on its own) if the deadline passes first.
  struct Shared {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::vector<std::string> addresses;
    std::string error;
  };
  auto shared = std::make_shared<Shared>();
  std::thread([shared, name] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &list);
    std::vector<std::string> addresses;
    std::string error;
    if (rc != 0) {
      error = ::gai_strerror(rc);
    } else {
      for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        std::string text = Poco::Net::SocketAddress(ai->ai_addr, ai->ai_addrlen).host().toString();
        if (std::find(addresses.begin(), addresses.end(), text) == addresses.end())
          addresses.push_back(text);
      }
      ::freeaddrinfo(list);
    }
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->addresses = std::move(addresses);
    shared->error = std::move(error);
    shared->done = true;
    shared->done_cv.notify_all();
  }).detach();
  std::unique_lock<std::mutex> lock(shared->mutex);
  if (!shared->done_cv.wait_until(lock, deadline, [&] { return shared->done; })) {
    error = "resolving timed out";
    return {};
  }
  error = shared->error;
  if (shared->addresses.empty() && error.empty()) error = "no addresses";
  return shared->addresses;
}

namespace {

const char* const kFamilies[] = {"ipv4", "ipv6", "name"};

Object toObject(const LoopbackResult& r) {
  Object o;
  o["family"] = r.family;
  o["address"] = r.address;
  o["port"] = r.port;
  o["ok"] = r.ok;
  o["skipped"] = r.skipped;
  o["error"] = r.error;
  o["ms"] = r.ms;
  return o;
}

// What to try: (family, address), or a ready-made result when there is
// nothing to try (skipped, or the name did not resolve as it must).
struct Attempt {
  std::string family, address;
  bool decided = false;
  LoopbackResult result;
  // What "localhost" resolves to is wrong: the name's fault, not loopback's.
  bool misresolved = false;
};

Attempt decided(const std::string& family, const std::string& address, bool skipped,
                const std::string& error) {
  Attempt a{family, address, true, {}};
  a.result.family = family;
  a.result.address = address;
  a.result.skipped = skipped;
  a.result.error = error;
  return a;
}

Attempt misresolved(const std::string& address, const std::string& error) {
  Attempt a = decided("name", address, false, error);
  a.misresolved = true;
  return a;
}

// What "localhost" must resolve to (getaddrinfo AF_UNSPEC, as Python's
// create_connection asks): a server that binds "localhost" with AF_INET
// listens on 127.0.0.1, and a client that never gets 127.0.0.1 is refused.
// ::1 only where IPv6 works. Empty when nothing is missing.
std::string missingLoopback(const std::vector<std::string>& addresses,
                            const std::vector<std::string>& resolveTo, bool ipv6Works) {
  bool v4 = false, v6 = false;
  for (const std::string& a : addresses) {
    v4 = v4 || a.rfind("127.", 0) == 0;
    v6 = v6 || a == "::1";
  }
  auto wanted = [&](const char* f) {
    return std::find(resolveTo.begin(), resolveTo.end(), f) != resolveTo.end();
  };
  std::vector<std::string> missing;
  if (wanted("ipv4") && !v4)
    missing.push_back(
        "127.0.0.1 (servers that bind \"localhost\" with AF_INET listen there, and clients "
        "connecting to \"localhost\" never try it)");
  if (wanted("ipv6") && ipv6Works && !v6)
    missing.push_back("::1 (this host has IPv6; IPv6 tests use \"localhost\" too)");
  if (missing.empty()) return "";
  return fmt::format("localhost resolves to {} only: missing {}", fmt::join(addresses, ", "),
                     fmt::join(missing, "; missing "));
}

std::vector<Attempt> plan(const std::vector<std::string>& families,
                          const std::vector<std::string>& resolveTo, Clock::time_point deadline) {
  std::string noIpv6 = ipv6Unavailable();
  std::vector<Attempt> attempts;
  auto add = [&](const std::string& family, const std::string& address) {
    bool v6 = address.find(':') != std::string::npos;
    if (v6 && !noIpv6.empty()) {
      attempts.push_back(decided(family, address, true, noIpv6));
    } else {
      attempts.push_back({family, address, false, {}});
    }
  };
  for (const std::string& family : families) {
    if (family == "ipv4") add(family, "127.0.0.1");
    if (family == "ipv6") add(family, "::1");
    if (family != "name") continue;
    std::string error;
    std::vector<std::string> addresses = resolveName("localhost", deadline, error);
    if (addresses.empty())
      attempts.push_back(misresolved("", "localhost does not resolve: " + error));
    else if (std::string missing = missingLoopback(addresses, resolveTo, noIpv6.empty());
             !missing.empty())
      attempts.push_back(misresolved("", missing));
    for (const std::string& address : addresses) {
      if (!Poco::Net::IPAddress(address).isLoopback()) {
        attempts.push_back(misresolved(
            address, fmt::format("localhost resolves to {}, not a loopback address", address)));
      } else {
        add(family, address);
      }
    }
  }
  return attempts;
}

// Whether interface "lo" is up: false explains every family failing at once
// (a fresh network namespace, a broken network set-up).
bool loopbackInterfaceUp() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return true;  // cannot tell: do not blame the interface
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool up = ::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || (ifr.ifr_flags & IFF_UP) != 0;
  ::close(fd);
  return up;
}

std::string label(const LoopbackResult& r) {
  return r.family == "name" ? "localhost -> " + r.address : r.address;
}

struct LocalhostParams {
  std::vector<std::string> families{std::begin(kFamilies), std::end(kFamilies)};
  std::vector<std::string> resolve_to = {"ipv4"};
};

Outcome runLocalhost(const LocalhostParams& params, const ProbeContext& ctx) {
  const std::vector<std::string>& families = params.families;
  for (const std::string& family : families) {
    if (std::find(std::begin(kFamilies), std::end(kFamilies), family) == std::end(kFamilies))
      return Outcome::error(fmt::format("unknown family '{}' (use ipv4, ipv6, name)", family));
  }
  const std::vector<std::string>& resolveTo = params.resolve_to;
  std::vector<Attempt> attempts = plan(families, resolveTo, ctx.deadline);
  Array results;
  std::vector<std::string> broken, worked, skipped, misnamed;
  bool shortage = false;
  for (size_t i = 0; i < attempts.size(); ++i) {
    LoopbackResult r = attempts[i].result;
    if (!attempts[i].decided) {
      // Share what is left, so one hanging family cannot starve the others.
      size_t left = 0;
      for (size_t j = i; j < attempts.size(); ++j) left += attempts[j].decided ? 0 : 1;
      auto share = (ctx.deadline - Clock::now()) / static_cast<int>(left);
      r = loopbackRoundTrip(attempts[i].family, attempts[i].address, Clock::now() + share);
    }
    results.push_back(toObject(r));
    if (attempts[i].misresolved) {
      misnamed.push_back(r.error);
    } else if (r.skipped) {
      skipped.push_back(fmt::format("{} skipped: {}", label(r), r.error));
    } else if (r.ok) {
      worked.push_back(fmt::format("{} ({} ms)", label(r), r.ms));
    } else {
      broken.push_back(fmt::format("{}: {}", label(r), r.error));
      shortage = shortage || r.local_shortage;
    }
  }
  Object observed;
  observed["results"] = results;
  Object expected;
  expected["families"] = Array(families.begin(), families.end());
  std::string skippedNote = skipped.empty() ? "" : fmt::format("; {}", fmt::join(skipped, "; "));
  if (shortage)
    return Outcome::error(fmt::format("could not try: {} (bbcheck ran out of file descriptors: "
                                      "raise `ulimit -n`)",
                                      fmt::join(broken, "; ")),
                          observed);
  // What "localhost" resolves to is said as that, beside what loopback did:
  // a name mapped wrongly is no broken loopback (localhost.sockets passes).
  std::string misnamedNote = misnamed.empty() ? "" : fmt::format("{}; ", fmt::join(misnamed, "; "));
  if (!broken.empty()) {
    bool up = loopbackInterfaceUp();
    observed["loopback_up"] = up;
    std::string cause = up ? "" : "; the loopback interface lo is down";
    return Outcome::fail(fmt::format("{}loopback does not work: {}{}{}", misnamedNote,
                                     fmt::join(broken, "; "), cause, skippedNote),
                         observed, expected);
  }
  if (!misnamed.empty()) {
    std::string loopback = worked.empty() ? ""
                                          : fmt::format("; bind, connect and echo work on {}",
                                                        fmt::join(worked, ", "));
    return Outcome::fail(fmt::format("{}{}{}", fmt::join(misnamed, "; "), loopback, skippedNote),
                         observed, expected);
  }
  if (worked.empty()) {
    return Outcome::skip(fmt::format("no loopback family applies here{}", skippedNote));
  }
  return Outcome::pass(
      fmt::format("bind, connect and echo work on {}{}", fmt::join(worked, ", "), skippedNote),
      observed, expected);
}

}  // namespace

ProbeKind localhostProbe() {
  return probeKind(
      "localhost",
      "loopback TCP works: bind, listen, connect and echo bytes on 127.0.0.1, ::1 and "
      "\"localhost\"",
      {stringListParam("families", &LocalhostParams::families,
                       "which to try: ipv4 (127.0.0.1), ipv6 (::1; skipped where IPv6 is "
                       "disabled), name (every address \"localhost\" resolves to)"),
       stringListParam("resolve_to", &LocalhostParams::resolve_to,
                       "with `name`: what \"localhost\" must resolve to (getaddrinfo AF_UNSPEC, as "
                       "clients ask): ipv4 (127.0.0.1), ipv6 (::1, only where IPv6 works)")
           .oneOf({"ipv4", "ipv6"})},
      runLocalhost);
}

}  // namespace bbcheck
