#include "checker/farm/fleet_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>
#include <fmt/format.h>
#include <openssl/x509v3.h>

#include <sstream>

#include "checker/farm/request_watchdog.h"
#include "checker/report/safe_text.h"

namespace bbcheck {
namespace {

std::string durationText(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return fmt::format("{} s", ms.count() / 1000);
  return fmt::format("{} ms", ms.count());
}

// Poco checks a certificate's chain; its name check is skipped on loopback
// and matches names by resolving them. The master's certificate must name
// the host the URL names, as OpenSSL checks it (an IP address against the
// certificate's IP addresses), before anything is sent to it.
void checkCertificateName(const Poco::Net::SecureStreamSocket& socket, const std::string& host,
                          const std::string& shown) {
  Poco::Net::X509Certificate certificate = socket.peerCertificate();
  X509* x509 = const_cast<X509*>(certificate.certificate());
  Poco::Net::IPAddress ip;
  bool matches = Poco::Net::IPAddress::tryParse(host, ip)
                     ? X509_check_ip_asc(x509, host.c_str(), 0) == 1
                     : X509_check_host(x509, host.c_str(), host.size(), 0, nullptr) == 1;
  if (!matches)
    throw FleetError(fmt::format(
        "{}: the master's certificate is not for {} (it is for {}): refused, nothing was sent",
        shown, host, safeLine(certificate.subjectName())));
}

}  // namespace

struct MasterClient::Target {
  Poco::URI base;   // without user info
  std::string url;  // for messages
};

std::string redactedUrl(const std::string& url) {
  try {
    Poco::URI uri(url);
    uri.setUserInfo("");
    Poco::URI::QueryParameters parameters = uri.getQueryParameters();
    for (auto& [name, value] : parameters)
      if (!value.empty()) value = "REDACTED";
    uri.setQueryParameters(parameters);
    return uri.toString();
  } catch (const Poco::Exception&) {
    return "(an unparsable URL)";
  }
}

MasterClient::MasterClient(const std::string& master, std::chrono::milliseconds timeout,
                           Clock::time_point deadline)
    : target_(std::make_unique<Target>()), timeout_(timeout), deadline_(deadline) {
  try {
    target_->base = Poco::URI(master);
  } catch (const Poco::Exception& e) {
    throw FleetError(
        fmt::format("--master {}: not a URL: {}", redactedUrl(master), safeLine(e.message())));
  }
  const std::string& scheme = target_->base.getScheme();
  if ((scheme != "http" && scheme != "https") || target_->base.getHost().empty())
    throw FleetError(fmt::format("--master {}: expected an http:// or https:// URL of the master",
                                 redactedUrl(master)));
  target_->base.setUserInfo("");
  target_->base.setQuery("");
  target_->base.setFragment("");
  target_->url = target_->base.toString();
}

MasterClient::~MasterClient() = default;

std::string MasterClient::plainHttpWarning() const {
  if (target_->base.getScheme() != "http") return "";
  return fmt::format(
      "the password goes to {} over plain http, unencrypted (HTTP Basic): anyone on the way can "
      "read it; use the master's https:// address",
      target_->url);
}

std::string MasterClient::fetch(const std::string& path, const std::string& authorization,
                                std::string* setCookie) {
  Poco::URI uri = target_->base;
  std::string basePath = uri.getPath();
  if (basePath.empty() || basePath.back() != '/') basePath += '/';
  std::string full = basePath + path;
  std::string shown = fmt::format("{}://{}{}", uri.getScheme(), uri.getAuthority(), full);
  if (requests_ >= kMaxRequests)
    throw FleetError(fmt::format(
        "{}: not asked: fleet makes at most {} requests to a master (one per bbcheck builder), "
        "and this master lists more",
        shown, kMaxRequests));
  ++requests_;
  auto now = Clock::now();
  if (now >= deadline_)
    throw FleetError(fmt::format("{}: not asked: the command's --deadline passed after {} requests",
                                 shown, requests_ - 1));
  bool byDeadline = deadline_ - now < timeout_;
  auto requestEnd = byDeadline ? deadline_ : now + timeout_;
  auto timedOut = [&] {
    if (byDeadline)
      return FleetError(
          fmt::format("{}: the command's --deadline passed before the master answered in full "
                      "({} requests made)",
                      shown, requests_));
    return FleetError(fmt::format(
        "{}: no answer in full within {} (the whole request: a master that is too slow, or "
        "trickles its reply, is cut off)",
        shown, durationText(timeout_)));
  };
  auto left = std::chrono::duration_cast<std::chrono::microseconds>(requestEnd - now);
  Poco::Timespan perRead(std::max<int64_t>(left.count(), 1000));
  bool https = uri.getScheme() == "https";
  Poco::Net::Context::Ptr context;
  std::unique_ptr<Poco::Net::StreamSocket> socket;
  if (https) {
    // The name is checked below (checkCertificateName), loopback included.
    context = new Poco::Net::Context(Poco::Net::Context::CLIENT_USE, "",
                                     Poco::Net::Context::VERIFY_RELAXED, 9, true);
    context->enableExtendedCertificateVerification(false);
    auto secure = std::make_unique<Poco::Net::SecureStreamSocket>(context);
    secure->setPeerHostName(uri.getHost());
    socket = std::move(secure);
  } else {
    socket = std::make_unique<Poco::Net::StreamSocket>();
  }
  RequestWatchdog watchdog(*socket, requestEnd);
  try {
    socket->connect(Poco::Net::SocketAddress(uri.getHost(), uri.getPort()), perRead);
    if (https)
      checkCertificateName(static_cast<Poco::Net::SecureStreamSocket&>(*socket), uri.getHost(),
                           shown);
    // HTTP over the socket connected (and checked) above, TLS or not: the
    // session never connects on its own.
    auto session = std::make_unique<Poco::Net::HTTPClientSession>(*socket);
    session->setTimeout(perRead);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, full,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost(uri.getHost(), uri.getPort());
    request.set("Accept", "application/json");
    if (!authorization.empty()) request.set("Authorization", authorization);
    if (!cookie_.empty()) request.set("Cookie", cookie_);
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session->receiveResponse(response);
    int status = static_cast<int>(response.getStatus());
    // A login answers with a redirect to the UI and the session cookie.
    bool accepted = status == 200 || (setCookie && status >= 300 && status < 400);
    if (status == 401 || status == 403)
      throw FleetError(fmt::format("{}: the master refused access (HTTP {}){}", shown, status,
                                   setCookie ? ": wrong user or password?" : ""));
    if (!accepted)
      throw FleetError(fmt::format("{}: the master answered HTTP {} {}", shown,
                                   static_cast<int>(response.getStatus()),
                                   safeLine(response.getReason().substr(0, 80))));
    if (setCookie) {
      std::vector<Poco::Net::HTTPCookie> cookies;
      response.getCookies(cookies);
      for (const auto& c : cookies)
        *setCookie += (setCookie->empty() ? "" : "; ") + c.getName() + "=" + c.getValue();
    }
    std::string text;
    char buffer[65536];
    while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
      text.append(buffer, static_cast<size_t>(body.gcount()));
      if (text.size() > kMaxReplyBytes)
        throw FleetError(
            fmt::format("{}: the reply is larger than {} MiB; not a Buildbot "
                        "master's answer",
                        shown, kMaxReplyBytes >> 20));
    }
    // A reply cut short by the watchdog is no reply.
    if (watchdog.fired()) throw timedOut();
    return text;
  } catch (const Poco::Net::ConnectionRefusedException& e) {
    // Most often a master without its web UI: the REST API is served only
    // with it, and Debian's buildbot package ships none.
    throw FleetError(fmt::format(
        "{}: {}: nothing serves the master's REST API there. bbcheck fleet reads it from the "
        "master's web UI (c['www'] in master.cfg, with the buildbot-www package installed; "
        "Debian's buildbot package ships no buildbot-www): is --master the web UI's URL?",
        shown, safeLine(e.displayText())));
  } catch (const Poco::Exception& e) {
    if (watchdog.fired()) throw timedOut();
    if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) throw timedOut();
    throw FleetError(fmt::format("{}: {}", shown, safeLine(e.displayText())));
  }
}

void MasterClient::login(const std::string& user, const std::string& password) {
  std::ostringstream encoded;
  Poco::Base64Encoder encoder(encoded);
  encoder.rdbuf()->setLineLength(0);
  encoder << user << ':' << password;
  encoder.close();
  std::string cookie;
  fetch("auth/login", "Basic " + encoded.str(), &cookie);
  if (cookie.empty())
    throw FleetError(fmt::format("{}auth/login: the master set no session cookie for {}",
                                 target_->url, safeLine(user)));
  cookie_ = cookie;
}

Poco::JSON::Object::Ptr MasterClient::get(const std::string& pathAndQuery) {
  std::string text = fetch("api/v2/" + pathAndQuery, "", nullptr);
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
      return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw FleetError(fmt::format("{}api/v2/{}: the reply is not JSON ({})", target_->url,
                                 pathAndQuery, safeLine(e.message().substr(0, 120))));
  }
  throw FleetError(
      fmt::format("{}api/v2/{}: the reply is not a JSON object", target_->url, pathAndQuery));
}

}  // namespace bbcheck
