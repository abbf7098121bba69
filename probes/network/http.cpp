#include "probes/network/http.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <cctype>
#include <fstream>
#include <mutex>

#include "probes/elapsed.h"
#include "probes/network/socket_deadline.h"
#include "probes/network/tls_handshake.h"
#include "probes/param_binding.h"
#include "probes/proxy.h"

namespace bbcheck {
namespace {

Poco::Timespan remaining(Clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
  return Poco::Timespan(std::max<int64_t>(left, 1000));
}

void initializeSsl() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

// The URL's parts, credentials kept apart so they are only ever sent.
struct Target {
  Poco::URI uri;
  std::string scheme, host, username, password;
  int port = 0;
  std::string pathAndQuery;
};

std::string parseTarget(const std::string& url, Target& target) {
  try {
    target.uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    // Not e.message(): it may quote the URL, credentials included.
    return fmt::format("cannot parse URL {}", redactUrl(url));
  }
  target.scheme = Poco::toLower(target.uri.getScheme());
  if (target.scheme != "http" && target.scheme != "https")
    return fmt::format("not an http(s) URL: {}", redactUrl(url));
  target.host = target.uri.getHost();
  if (target.host.empty()) return fmt::format("URL has no host: {}", redactUrl(url));
  target.port = target.uri.getPort();
  std::string userInfo = target.uri.getUserInfo();
  size_t colon = userInfo.find(':');
  Poco::URI::decode(userInfo.substr(0, colon), target.username);
  if (colon != std::string::npos) Poco::URI::decode(userInfo.substr(colon + 1), target.password);
  target.pathAndQuery = target.uri.getPathAndQuery();
  if (target.pathAndQuery.empty()) target.pathAndQuery = "/";
  return "";
}

// "host:port", bracketed for IPv6.
std::string authority(const std::string& host, int port) {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

void classifyException(const Poco::Exception& e, Clock::time_point start, HttpResult& result) {
  if (dynamic_cast<const Poco::TimeoutException*>(&e)) {
    result.cause = NetCause::TimedOut;
    result.detail = fmt::format("no HTTP answer within {} ms", msSince(start));
  } else if (dynamic_cast<const Poco::Net::ConnectionResetException*>(&e)) {
    result.cause = NetCause::Reset;
    result.detail = "connection reset while waiting for the HTTP answer";
  } else if (dynamic_cast<const Poco::Net::NoMessageException*>(&e)) {
    result.cause = NetCause::WrongProtocol;
    result.detail = "it closed the connection without an HTTP answer";
  } else if (dynamic_cast<const Poco::Net::MessageException*>(&e)) {
    result.cause = NetCause::WrongProtocol;
    result.detail = e.message();  // e.g. "Invalid HTTP version string"
  } else {
    NetCause cause = e.code() != 0 ? classifyErrno(e.code()) : NetCause::Other;
    result.cause = cause == NetCause::None ? NetCause::Other : cause;
    result.detail = e.displayText();
  }
}

// The first line the server sends, peeked (left for the HTTP parser) so that
// a non-HTTP answer can be shown; "" when it is not printable text.
std::string peekFirstLine(Poco::Net::StreamSocket& socket, Clock::time_point deadline) {
  if (!socket.poll(remaining(deadline), Poco::Net::Socket::SELECT_READ)) return "";
  char buffer[64];
  ssize_t n = ::recv(socket.impl()->sockfd(), buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
  if (n <= 0) return "";
  std::string line(buffer, static_cast<size_t>(n));
  line = line.substr(0, line.find_first_of("\r\n"));
  for (char c : line)
    if (c < 0x20 || c > 0x7e) return "";
  return line;
}

// Asks the proxy for a tunnel to host:port; "" or why it refused.
std::string openTunnel(Poco::Net::StreamSocket& socket, const Target& target,
                       const ProxyChoice& proxy) {
  Poco::Net::HTTPClientSession session(socket);
  std::string hostPort = authority(target.host, target.port);
  Poco::Net::HTTPRequest connect(Poco::Net::HTTPRequest::HTTP_CONNECT, hostPort,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  connect.setHost(hostPort);
  if (!proxy.username.empty())
    Poco::Net::HTTPBasicCredentials(proxy.username, proxy.password).proxyAuthenticate(connect);
  session.sendRequest(connect);
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
    return fmt::format("the proxy refused CONNECT to {}: {} {}", hostPort,
                       static_cast<int>(response.getStatus()), response.getReason());
  socket = session.detachSocket();
  return "";
}

// A second, diagnostic handshake (our OpenSSL check) when Poco's failed:
// it tells untrusted from expired from wrong name.
TlsResult diagnoseTls(const Target& target, const ProxyChoice& proxy, const std::string& caFile,
                      Clock::time_point deadline) {
  TlsOptions options{target.host, caFile};
  if (!proxy.use) return checkTls(target.host, target.port, options, deadline);
  TlsResult result;
  result.tcp = connectWithDeadline(proxy.host, proxy.port, deadline);
  if (!result.tcp.ok || !openTunnel(result.tcp.socket, target, proxy).empty()) {
    result.cause = NetCause::TlsHandshake;
    result.detail = "could not repeat the handshake to diagnose it";
    return result;
  }
  result.tcp.host = target.host;
  result.tcp.port = target.port;
  tlsOverConnected(result, options, deadline);
  return result;
}

void exchange(const Target& target, const ProxyChoice& proxy, const std::string& method,
              const std::string& caFile, Clock::time_point deadline, HttpResult& result) {
  Poco::Net::StreamSocket socket = result.tcp.socket;
  socket.setSendTimeout(remaining(deadline));
  socket.setReceiveTimeout(remaining(deadline));
  bool viaProxy = proxy.use;
  if (viaProxy && target.scheme == "https") {
    std::string refused = openTunnel(socket, target, proxy);
    if (!refused.empty()) {
      result.cause = NetCause::Prohibited;
      result.detail = refused;
      return;
    }
  }
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (target.scheme == "https") {
    initializeSsl();
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::CLIENT_USE, caFile,
                               Poco::Net::Context::VERIFY_RELAXED, 9, caFile.empty());
    try {
      Poco::Net::SecureStreamSocket secure =
          Poco::Net::SecureStreamSocket::attach(socket, target.host, context);
      // A plain session over the secure socket: HTTPSClientSession's
      // constructor insists on setting the port of a connected socket.
      session = std::make_unique<Poco::Net::HTTPClientSession>(secure);
    } catch (const Poco::Net::SSLException& e) {
      if (Clock::now() >= deadline) throw Poco::TimeoutException("TLS handshake");
      result.tls = diagnoseTls(target, proxy, caFile, deadline);
      result.cause = result.tls.ok() ? NetCause::TlsHandshake : result.tls.cause;
      result.detail = result.tls.ok() ? e.displayText() : result.tls.detail;
      return;
    }
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
  }
  // Through a proxy, plain http asks for the absolute URL (credentials
  // stay in the Authorization header).
  std::string requestTarget = target.pathAndQuery;
  if (viaProxy && target.scheme == "http")
    requestTarget =
        fmt::format("http://{}{}", authority(target.host, target.port), target.pathAndQuery);
  Poco::Net::HTTPRequest request(method, requestTarget, Poco::Net::HTTPMessage::HTTP_1_1);
  bool defaultPort = target.port == (target.scheme == "https" ? 443 : 80);
  request.setHost(defaultPort ? target.host : authority(target.host, target.port));
  request.set("User-Agent", "bbcheck");
  request.set("Accept", "*/*");
  if (!target.username.empty())
    Poco::Net::HTTPBasicCredentials(target.username, target.password).authenticate(request);
  if (viaProxy && target.scheme == "http" && !proxy.username.empty())
    Poco::Net::HTTPBasicCredentials(proxy.username, proxy.password).proxyAuthenticate(request);
  session->sendRequest(request).flush();  // Poco buffers it until asked
  if (target.scheme == "http") result.server_said = peekFirstLine(socket, deadline);
  if (Clock::now() >= deadline) throw Poco::TimeoutException("deadline");
  socket.setReceiveTimeout(remaining(deadline));
  Poco::Net::HTTPResponse response;
  session->receiveResponse(response);
  result.answered = true;
  result.status = static_cast<int>(response.getStatus());
  result.reason = response.getReason();
  if (response.has("Location")) result.location = redactUrl(response.get("Location"));
}

}  // namespace

HttpResult fetchStatus(const std::string& url, const std::string& method, const std::string& caFile,
                       Clock::time_point deadline) {
  auto start = Clock::now();
  HttpResult result;
  result.url = redactUrl(url);
  result.method = method;
  Target target;
  result.setup_error = parseTarget(url, target);
  if (!result.setup_error.empty()) return result;
  ProxyChoice proxy = proxyFor(target.scheme, target.host, target.port);
  result.proxy_variable = proxy.variable;
  result.no_proxy_match = proxy.bypass;
  if (proxy.use) result.proxy = proxy.url;
  if (!proxy.problem.empty()) {
    result.setup_error = proxy.problem;
    return result;
  }
  if (!caFile.empty() && !std::ifstream(caFile)) {
    result.setup_error = fmt::format("cannot read ca_file {}", caFile);
    return result;
  }
  result.tcp = proxy.use ? connectWithDeadline(proxy.host, proxy.port, deadline)
                         : connectWithDeadline(target.host, target.port, deadline);
  if (!result.tcp.ok) {
    result.cause = result.tcp.cause;
    result.detail = result.tcp.detail;
  } else {
    SocketDeadline guard(result.tcp.socket.impl()->sockfd(), deadline);
    try {
      exchange(target, proxy, method, caFile, deadline, result);
    } catch (const Poco::Exception& e) {
      classifyException(e, start, result);
    }
    if (guard.fired() && !result.answered) {
      // Whatever Poco made of the shut-down socket, the truth is the clock.
      result.tls = TlsResult();
      result.cause = NetCause::TimedOut;
      result.detail = fmt::format("no HTTP answer within {} ms", msSince(start));
    }
  }
  result.ms = msSince(start);
  return result;
}

std::string HttpResult::describe() const {
  std::string route =
      proxy.empty() ? "" : fmt::format(" via proxy {} (from {})", proxy, proxy_variable);
  std::string head = fmt::format("{} {}{}", method, url, route);
  if (answered) {
    std::string moved = location.empty() ? "" : fmt::format(" -> {}", location);
    return fmt::format("{}: {} {}{} ({} ms)", head, status, reason, moved, ms);
  }
  if (!tcp.ok) {
    if (!proxy.empty()) return fmt::format("{}: cannot reach the proxy: {}", head, tcp.describe());
    return fmt::format("{}: {}", head, tcp.describe());
  }
  if (tls.cause != NetCause::None) return fmt::format("{}: {}", head, tls.describe());
  switch (cause) {
    case NetCause::TimedOut:
      return fmt::format("{}: {} (connected to {}, timed out)", head, detail, tcp.address);
    case NetCause::WrongProtocol:
      return fmt::format("{}: {} does not speak HTTP there: {}{}", head, tcp.address, detail,
                         server_said.empty() ? "" : fmt::format(" (it sent \"{}\")", server_said));
    case NetCause::Reset:
      return fmt::format("{}: {} ({})", head, detail, tcp.address);
    case NetCause::TlsHandshake:
      return fmt::format("{}: TLS handshake failed: {}", head, detail);
    default:
      return fmt::format("{}: {}", head, detail);
  }
}

Value HttpResult::toValue() const {
  Object out;
  out["url"] = url;
  out["method"] = method;
  if (answered) {
    out["status"] = status;
    out["reason"] = reason;
    if (!location.empty()) out["location"] = location;
  } else {
    out["cause"] = std::string(causeName(cause));
    out["detail"] = detail;
    if (!server_said.empty()) out["server_said"] = server_said;
  }
  out["proxy"] = proxy;
  if (!proxy_variable.empty()) out["proxy_variable"] = proxy_variable;
  if (!no_proxy_match.empty()) out["no_proxy_match"] = no_proxy_match;
  out["address"] = tcp.address;
  if (!tcp.ok) out["tcp"] = tcp.toValue();
  if (tls.cause != NetCause::None) out["tls"] = tls.toValue();
  out["ms"] = ms;
  return out;
}

bool statusMatches(const std::string& spec, int status, bool& matches, std::string& error) {
  matches = false;
  std::string list = spec.empty() ? "2xx,3xx" : spec;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string token = Poco::trim(Poco::toLower(list.substr(start, end - start)));
    start = end + 1;
    bool digits = token.size() == 3 && std::isdigit(static_cast<unsigned char>(token[0])) &&
                  std::isdigit(static_cast<unsigned char>(token[1])) &&
                  std::isdigit(static_cast<unsigned char>(token[2]));
    bool klass = token.size() == 3 && token[0] >= '1' && token[0] <= '5' && token.substr(1) == "xx";
    if (!digits && !klass) {
      error = fmt::format("bad status '{}' in '{}' (want e.g. 200, 2xx, 200,301)", token, spec);
      return false;
    }
    if (digits ? std::stoi(token) == status : status / 100 == token[0] - '0') matches = true;
  }
  return true;
}

namespace {

std::string expectedText(const std::string& spec) {
  return spec.empty() ? "2xx or 3xx" : Poco::replace(spec, ",", " or ");
}

struct HttpParams {
  std::string url;
  std::string method = "GET";
  std::string status;  // "": 2xx or 3xx
  std::string ca_file;
};

Outcome runHttp(const HttpParams& params, const ProbeContext& ctx) {
  std::string method = Poco::toUpper(params.method);
  const std::string& spec = params.status;
  bool matches = false;
  std::string problem;
  if (!statusMatches(spec, 200, matches, problem)) return Outcome::error(problem);
  if (method != "GET" && method != "HEAD")
    return Outcome::error(fmt::format("method {} is not GET or HEAD", method));
  HttpResult r = fetchStatus(params.url, method, params.ca_file, ctx.deadline);
  if (!r.setup_error.empty()) return Outcome::error(r.setup_error, r.toValue());
  Object expected;
  expected["status"] = spec.empty() ? "2xx,3xx" : spec;
  if (!r.answered && (isLocalShortage(r.cause) || isLocalShortage(r.tcp.cause)))
    return Outcome::error(fmt::format("could not try: {} (bbcheck ran out of file descriptors: "
                                      "raise `ulimit -n`)",
                                      r.describe()),
                          r.toValue());
  if (!r.answered) return Outcome::fail(r.describe(), r.toValue(), expected);
  statusMatches(spec, r.status, matches, problem);
  if (matches) return Outcome::pass(r.describe(), r.toValue(), expected);
  return Outcome::fail(fmt::format("{}, expected {}", r.describe(), expectedText(spec)),
                       r.toValue(), expected);
}

}  // namespace

ProbeKind httpProbe() {
  return probeKind(
      "http", "HTTP(S) status of a URL, through the environment's proxy",
      {stringParam("url", &HttpParams::url, "http:// or https:// URL").required(),
       stringParam("method", &HttpParams::method, "request method").oneOf({"GET", "HEAD"}),
       stringParam("status", &HttpParams::status,
                   "accepted statuses, e.g. 200, 2xx, 200,301 (default 2xx,3xx)"),
       pathParam("ca_file", &HttpParams::ca_file,
                 "PEM file of CAs to trust instead of the system store")},
      runHttp);
}

}  // namespace bbcheck
