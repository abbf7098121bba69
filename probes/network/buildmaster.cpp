#include "probes/network/buildmaster.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <fmt/format.h>
#include <netdb.h>

#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "probes/buildbot/buildbot_tac.h"
#include "probes/elapsed.h"
#include "probes/network/tcp_connect.h"
#include "probes/param_binding.h"

namespace bbcheck {

const char kPbBanner[12] = {'\x02', '\x80', '\x02', '\x82', 'p', 'b',
                            '\x04', '\x82', 'n',    'o',    'n', 'e'};

namespace {

Milliseconds left(Clock::time_point deadline) {
  return std::max(std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()),
                  Milliseconds(0));
}

// ---------------------------------------------------------------------------

struct Greeting {
  std::string bytes;
  bool closed = false;  // the server closed the connection
  bool reset = false;
  int64_t ms = 0;  // from connected to the last byte (or giving up)
};

bool isBannerPrefix(const std::string& bytes) {
  return bytes.size() <= sizeof kPbBanner &&
         std::memcmp(bytes.data(), kPbBanner, bytes.size()) == 0;
}

// Reads until the whole banner arrived, a byte differs, the server closes,
// or the deadline. After a differing byte it takes what is already there
// (up to 16 bytes) to show.
Greeting readGreeting(Poco::Net::StreamSocket& socket, Clock::time_point deadline) {
  Greeting g;
  Clock::time_point start = Clock::now();
  char buffer[16];
  while (g.bytes.size() < sizeof buffer) {
    bool mismatch = !isBannerPrefix(g.bytes);
    if (g.bytes.size() == sizeof kPbBanner && !mismatch) break;
    Milliseconds wait = mismatch ? Milliseconds(0) : left(deadline);
    if (!mismatch && wait.count() == 0) break;
    try {
      if (!socket.poll(Poco::Timespan(wait.count() * 1000), Poco::Net::Socket::SELECT_READ)) {
        if (mismatch) break;
        continue;  // the loop re-checks the deadline
      }
      int n = socket.receiveBytes(buffer, static_cast<int>(sizeof buffer - g.bytes.size()));
      if (n <= 0) {
        g.closed = true;
        break;
      }
      g.bytes.append(buffer, static_cast<size_t>(n));
    } catch (const Poco::Exception&) {
      g.reset = true;
      break;
    }
  }
  g.ms = msSince(start);
  return g;
}

std::string printable(const std::string& bytes) {
  std::string out;
  for (char c : bytes) {
    if (c == '\r' || c == '\n') break;
    out += std::isprint(static_cast<unsigned char>(c)) ? c : '.';
  }
  return out;
}

// Where the master address comes from. At the worker stage the tac is the
// truth: the worker connects to the master its buildbot.tac names, so that
// one is tried even when the parameter (the profile's `master` var) says
// another; the parameter serves while there is no tac to read.
struct AddressChoice {
  std::string address;
  std::string source;  // "parameter" or "buildbot.tac"
  std::string tac;     // the tac's path, when the address came from it
  bool tls = false;    // the worker talks TLS to it: the banner is inside TLS
  std::string error;
  std::string differs;  // the parameter's address, when the tac names another
};

struct BuildmasterParams {
  std::string address = "${master}";  // a profile var: the profile layer substitutes it
  std::string buildarea;
};

// host:port as written in either place, compared without case or brackets.
std::string comparableAddress(const std::string& address) {
  std::string host, error;
  int port = 0;
  if (!splitMasterAddress(address, &host, &port, &error)) return address;
  for (char& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return joinHostPort(host, port);
}

AddressChoice chooseAddress(const BuildmasterParams& params) {
  AddressChoice choice;
  const std::string& area = params.buildarea;
  std::string file = area + "/buildbot.tac", error;
  std::optional<BuildbotTac> tac;
  if (!area.empty()) tac = readBuildbotTac(file, &error);
  MasterEndpoint ep;
  if (tac) ep = masterEndpoint(*tac);
  if (!params.address.empty() && (!tac || ep.host.empty())) {
    choice.address = params.address;
    choice.source = "parameter";
    return choice;
  }
  const std::string none =
      "no master address: pass --set master=HOST:PORT or create the build area";
  if (area.empty()) {
    choice.error = none;
    return choice;
  }
  if (!tac) {
    choice.error = fmt::format("{} ({})", none, error);
    return choice;
  }
  if (ep.host.empty()) {
    choice.error = fmt::format(
        "{} names no master bbcheck can read (buildmaster_host and port, "
        "or a tcp:/tls: connection_string): pass --set master=HOST:PORT",
        file);
    return choice;
  }
  choice.address = joinHostPort(ep.host, ep.port);
  choice.source = "buildbot.tac";
  choice.tac = file;
  if (!params.address.empty() &&
      comparableAddress(params.address) != comparableAddress(choice.address))
    choice.differs = params.address;
  std::string cs = tac->connection_string;
  for (char& ch : cs) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  choice.tls = tac->use_tls.value_or(false) || cs.rfind("tls:", 0) == 0 || cs.rfind("ssl:", 0) == 0;
  return choice;
}

// Said with every outcome when the tac and the profile disagree.
std::string differenceNote(const AddressChoice& choice) {
  if (choice.differs.empty()) return "";
  return fmt::format(
      " (the master in {} is {}, not the profile's master {}: the worker connects to the tac's, "
      "so that one was tried)",
      choice.tac, choice.address, choice.differs);
}

// Fitted to an address read from the tac: correcting --set master changes
// nothing there, the tac does.
std::string tacFix(const AddressChoice& choice) {
  std::string area = choice.tac.substr(0, choice.tac.size() - std::string("/buildbot.tac").size());
  return fmt::format(
      "The worker connects to the master its buildbot.tac names ({}). If that address is wrong, "
      "correct buildmaster_host and port in {} and run `buildbot-worker restart {}` as the "
      "worker's user. If it is right: a name that did not resolve needs DNS repaired (dns.system "
      "says what is wrong); a refused connection means the master is down or the port is wrong "
      "(ask the farm's admins); a timeout means a firewall drops the packets (open outbound TCP "
      "to the master's PB port).",
      choice.address, choice.tac, area);
}

Outcome judgeGreeting(const Greeting& g, const TcpAttempt& c, const AddressChoice& choice,
                      Object observed, const Object& expected) {
  observed["received_hex"] = hexBytes(g.bytes);
  observed["received_bytes"] = static_cast<int64_t>(g.bytes.size());
  observed["banner_ms"] = g.ms;
  if (g.bytes.size() >= sizeof kPbBanner && isBannerPrefix(g.bytes.substr(0, sizeof kPbBanner))) {
    return Outcome::pass(
        fmt::format("{} speaks Perspective Broker (banner in {} ms, connected in {} ms)", c.address,
                    g.ms, c.ms),
        observed, expected);
  }
  std::string hint = " (not a Perspective Broker port?)";
  if (choice.tls)
    hint = " (the worker's buildbot.tac uses TLS, whose banner this probe cannot see)";
  if (g.bytes.empty()) {
    if (g.reset) {
      return Outcome::fail(fmt::format("{} accepted, then reset the connection without sending "
                                       "anything{}",
                                       c.address, hint),
                           observed, expected);
    }
    if (g.closed) {
      return Outcome::fail(fmt::format("{} accepted, then closed the connection without sending "
                                       "anything{}",
                                       c.address, hint),
                           observed, expected);
    }
    return Outcome::fail(
        fmt::format("{} accepted but sent nothing in {} ms{}", c.address, g.ms, hint), observed,
        expected);
  }
  if (isBannerPrefix(g.bytes)) {
    return Outcome::fail(
        fmt::format("{} sent only {} of the {} PB banner bytes ({}) in {} ms", c.address,
                    g.bytes.size(), sizeof kPbBanner, hexBytes(g.bytes), g.ms),
        observed, expected);
  }
  std::string what = recogniseGreeting(g.bytes);
  observed["received_text"] = printable(g.bytes);
  return Outcome::fail(
      fmt::format("{} sent other bytes: {} (\"{}\"): {}, not a buildmaster", c.address,
                  hexBytes(g.bytes), printable(g.bytes), what.empty() ? "another protocol" : what),
      observed, expected);
}

Outcome connectAndGreet(const AddressChoice& choice, const ProbeContext& ctx);

Outcome runBuildmaster(const BuildmasterParams& params, const ProbeContext& ctx) {
  AddressChoice choice = chooseAddress(params);
  Outcome outcome = connectAndGreet(choice, ctx);
  outcome.message += differenceNote(choice);
  if (!choice.tac.empty() && outcome.status != Status::Pass) outcome.fix = tacFix(choice);
  return outcome;
}

Outcome connectAndGreet(const AddressChoice& choice, const ProbeContext& ctx) {
  if (!choice.error.empty()) return Outcome::error(choice.error);
  std::string host, error;
  int port = 0;
  if (!splitMasterAddress(choice.address, &host, &port, &error)) {
    return Outcome::error(fmt::format("bad master address \"{}\" (from the {}): {}", choice.address,
                                      choice.source, error));
  }
  Object observed = objectOf({{"address", choice.address}, {"address_source", choice.source}});
  if (!choice.differs.empty()) observed["profile_master"] = choice.differs;
  Object expected = objectOf({{"banner_hex", hexBytes(std::string(kPbBanner, sizeof kPbBanner))}});
  TcpAttempt c = connectWithDeadline(host, port, ctx.deadline);
  if (!c.ok) {
    observed["connected"] = false;
    observed["cause"] = causeName(c.cause);
    observed["tcp"] = c.toValue();
    if (isLocalShortage(c.cause))
      return Outcome::error(
          fmt::format("could not try to reach the buildmaster at {}: {} (bbcheck ran out of file "
                      "descriptors: raise `ulimit -n`)",
                      choice.address, c.describe()),
          observed);
    std::string meaning = causeMeaning(c.cause);  // refused: master down or wrong port
    return Outcome::fail(fmt::format("cannot reach the buildmaster at {}: {}{}", choice.address,
                                     c.describe(), meaning.empty() ? "" : "; " + meaning),
                         observed, expected);
  }
  observed["connected"] = true;
  observed["connected_to"] = c.address;
  observed["connect_ms"] = c.ms;
  Greeting g = readGreeting(c.socket, ctx.deadline);
  c.socket.close();
  return judgeGreeting(g, c, choice, observed, expected);
}

}  // namespace

bool splitMasterAddress(const std::string& address, std::string* host, int* port,
                        std::string* error) {
  std::string portText;
  if (!address.empty() && address[0] == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos) {
      *error = "missing ] after an IPv6 address";
      return false;
    }
    *host = address.substr(1, close - 1);
    if (close + 1 < address.size()) {
      if (address[close + 1] != ':') {
        *error = "expected :PORT after ]";
        return false;
      }
      portText = address.substr(close + 2);
    }
  } else {
    size_t colon = address.rfind(':');
    if (colon != std::string::npos && address.find(':') != colon) {
      *error = "an IPv6 address needs brackets: [ADDRESS]:PORT";
      return false;
    }
    *host = address.substr(0, colon);
    if (colon != std::string::npos) portText = address.substr(colon + 1);
  }
  if (host->empty() || host->find_first_of(" \t/") != std::string::npos) {
    *error = "expected HOST:PORT";
    return false;
  }
  if (portText.empty()) {
    if (address.back() == ':') {
      *error = "empty port";
      return false;
    }
    *port = kDefaultPbPort;
    return true;
  }
  if (portText.find_first_not_of("0123456789") != std::string::npos || portText.size() > 5 ||
      std::stoi(portText) < 1 || std::stoi(portText) > 65535) {
    *error = "port \"" + portText + "\" is not a number from 1 to 65535";
    return false;
  }
  *port = std::stoi(portText);
  return true;
}

std::string hexBytes(const std::string& bytes, size_t max) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    out += fmt::format("{}{:02x}", i ? " " : "", static_cast<unsigned char>(bytes[i]));
  }
  return out;
}

std::string recogniseGreeting(const std::string& bytes) {
  auto starts = [&](const char* prefix) { return bytes.rfind(prefix, 0) == 0; };
  if (starts("HTTP/")) return "an HTTP server (a proxy, captive portal or web server)";
  if (starts("SSH-")) return "an SSH server";
  if (starts("220")) return "an FTP or SMTP server";
  if (starts("+OK")) return "a POP3 server";
  if (starts("* OK")) return "an IMAP server";
  if (starts("\x15\x03") || starts("\x16\x03")) return "a TLS server";
  return "";
}

ProbeKind buildmasterProbe() {
  return probeKind(
      "buildmaster", "TCP to the buildmaster and its Perspective Broker banner",
      {stringParam("address", &BuildmasterParams::address,
                   "HOST:PORT of the master's PB port; empty: from the build area's buildbot.tac"),
       pathParam("buildarea", &BuildmasterParams::buildarea,
                 "build area whose buildbot.tac names the master when address is empty")},
      runBuildmaster);
}

}  // namespace bbcheck
