// Hostile peers on loopback: every http and tls check returns its own
// classified result by its timeout (plus a generous bound), whatever the
// server does: endless bytes, one byte a second, silence, a TLS handshake
// that never finishes, huge headers, endless redirects. (A process out of
// file descriptors: tests/out_of_descriptors_test.cpp.)
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <thread>

#include "probes/network/http.h"
#include "probes/network/tls.h"
#include "probes/registry.h"
#include "tests/net_testing.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::contextFor;
using testing::elapsedMs;

// A loopback server whose every connection gets `behave(fd, stop)` (on its
// own thread, so a slow peer never delays the next connection).
class HostileServer {
 public:
  using Behaviour = std::function<void(int fd, const std::atomic<bool>& stop)>;
  explicit HostileServer(Behaviour behave)
      : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)), behave_(std::move(behave)) {
    port_ = listener_.address().port();
    thread_ = std::thread([this] { acceptLoop(); });
  }
  ~HostileServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : peers_) t.join();
  }
  int port() const { return port_; }
  std::string url(const std::string& scheme, const std::string& path = "/") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void acceptLoop() {
    while (!stop_) {
      if (!listener_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket peer = listener_.acceptConnection();
      peers_.emplace_back([this, peer]() mutable {
        behave_(peer.impl()->sockfd(), stop_);
        peer.close();
      });
    }
  }

  Poco::Net::ServerSocket listener_;
  Behaviour behave_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> peers_;
};

// Sends `data` in `chunk`-byte pieces `pause` apart until stopped or done;
// `again` repeats it forever.
void dribble(int fd, const std::atomic<bool>& stop, const std::string& data, size_t chunk,
             Milliseconds pause, bool again = false) {
  do {
    for (size_t i = 0; i < data.size() && !stop; i += chunk) {
      if (::send(fd, data.data() + i, std::min(chunk, data.size() - i), MSG_NOSIGNAL) < 0) return;
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
    }
  } while (again && !stop);
}

void silent(int, const std::atomic<bool>& stop) {
  while (!stop) std::this_thread::sleep_for(Milliseconds(10));
}

// The kinds these tests drive, by name.
const Registry& networkKinds() {
  static const Registry registry({httpProbe(), tlsProbe()});
  return registry;
}

Outcome runKind(const std::string& kind, const Params& params, int64_t timeoutMs) {
  return networkKinds().find(kind)->run(params, contextFor(timeoutMs));
}

Outcome http(const std::string& url, int64_t timeoutMs = 1500) {
  Params p;
  p.set("url", url);
  return runKind("http", p, timeoutMs);
}

constexpr int64_t kTimeout = 1500;
constexpr int64_t kBound = kTimeout + 1500;  // generous: the probe must not overstay much

TEST(HostilePeers, HttpOneBytePerSecondTimesOutAtItsDeadline) {
  testing::NoProxy env;
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    dribble(fd, stop, "HTTP/1.1 200 OK\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n", 1,
            Milliseconds(1000));
  });
  auto start = Clock::now();
  Outcome o = http(server.url("http"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out") << o.message;
}

TEST(HostilePeers, HttpEndlessHeadersAreTheWrongProtocol) {
  testing::NoProxy env;
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    dribble(fd, stop, "HTTP/1.1 200 OK\r\n", 64, Milliseconds(0));
    dribble(fd, stop, "X-More: and more\r\n", 4096, Milliseconds(0), true);
  });
  auto start = Clock::now();
  Outcome o = http(server.url("http"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "wrong_protocol") << o.message;
}

TEST(HostilePeers, HttpHugeHeaderIsTheWrongProtocol) {
  testing::NoProxy env;
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    dribble(fd, stop, "HTTP/1.1 200 OK\r\nX-Huge: " + std::string(4 << 20, 'h') + "\r\n\r\n", 65536,
            Milliseconds(0));
  });
  auto start = Clock::now();
  Outcome o = http(server.url("http"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "wrong_protocol") << o.message;
}

TEST(HostilePeers, HttpEndlessBytesAreTheWrongProtocol) {
  testing::NoProxy env;
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    dribble(fd, stop, std::string(65536, 'z'), 65536, Milliseconds(0), true);
  });
  auto start = Clock::now();
  Outcome o = http(server.url("http"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "wrong_protocol") << o.message;
}

TEST(HostilePeers, HttpEndlessRedirectIsReportedNotFollowed) {
  testing::NoProxy env;
  std::string location;
  HostileServer server([&location](int fd, const std::atomic<bool>& stop) {
    dribble(fd, stop,
            "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n", 4096,
            Milliseconds(0));
  });
  location = server.url("http", "/again?token=s3cr3t");
  auto start = Clock::now();
  Outcome o = http(server.url("http", "/again?token=s3cr3t"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.observed["status"].toString(), "302") << o.message;
  EXPECT_EQ(o.message.find("s3cr3t"), std::string::npos) << o.message;
  EXPECT_EQ(o.observed.toString().find("s3cr3t"), std::string::npos) << o.observed.toString();
  EXPECT_NE(o.message.find("token=REDACTED"), std::string::npos) << o.message;
}

TEST(HostilePeers, HttpsSilentServerTimesOutAtItsDeadline) {
  testing::NoProxy env;
  HostileServer server(silent);
  auto start = Clock::now();
  Outcome o = http(server.url("https"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out") << o.message;
}

// A TLS record header promising a ServerHello, then one byte a second:
// the handshake never finishes, but it never stalls long enough for a
// per-read timeout either.
void slowHandshake(int fd, const std::atomic<bool>& stop) {
  char buffer[4096];
  ::recv(fd, buffer, sizeof buffer, 0);  // the ClientHello
  dribble(fd, stop, std::string("\x16\x03\x03\x40\x00\x02\x00\x3f\xfc", 9) + std::string(200, 'x'),
          1, Milliseconds(300));
}

TEST(HostilePeers, HttpsHandshakeThatNeverFinishesTimesOut) {
  testing::NoProxy env;
  HostileServer server(slowHandshake);
  auto start = Clock::now();
  Outcome o = http(server.url("https"));
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out") << o.message;
}

TEST(HostilePeers, TlsHandshakeThatNeverFinishesTimesOut) {
  HostileServer server(slowHandshake);
  Params p;
  p.set("host", std::string("127.0.0.1"));
  p.set("port", int64_t{server.port()});
  auto start = Clock::now();
  Outcome o = runKind("tls", p, kTimeout);
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out") << o.message;
}

TEST(HostilePeers, TlsEndlessGarbageIsClassified) {
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    dribble(fd, stop, std::string(65536, '\x16'), 65536, Milliseconds(0), true);
  });
  Params p;
  p.set("host", std::string("127.0.0.1"));
  p.set("port", int64_t{server.port()});
  auto start = Clock::now();
  Outcome o = runKind("tls", p, kTimeout);
  EXPECT_LE(elapsedMs(start), kBound);
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.observed["cause"].toString(), "") << o.message;
}

}  // namespace
}  // namespace bbcheck
