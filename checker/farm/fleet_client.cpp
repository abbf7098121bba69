#include "checker/farm/fleet_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include <sstream>

#include "checker/report/safe_text.h"

namespace bbcheck {

struct MasterClient::Target {
  Poco::URI base;   // without user info
  std::string url;  // for messages
};

std::string redactedUrl(const std::string& url) {
  try {
    Poco::URI uri(url);
    uri.setUserInfo("");
    return uri.toString();
  } catch (const Poco::Exception&) {
    return "(an unparsable URL)";
  }
}

MasterClient::MasterClient(const std::string& master, std::chrono::milliseconds timeout)
    : target_(std::make_unique<Target>()), timeout_(timeout) {
  try {
    target_->base = Poco::URI(master);
  } catch (const Poco::Exception& e) {
    throw FleetError(fmt::format("--master {}: not a URL: {}", redactedUrl(master), e.message()));
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

std::string MasterClient::fetch(const std::string& path, const std::string& authorization,
                                std::string* setCookie) {
  Poco::URI uri = target_->base;
  std::string basePath = uri.getPath();
  if (basePath.empty() || basePath.back() != '/') basePath += '/';
  std::string full = basePath + path;
  std::string shown = fmt::format("{}://{}{}", uri.getScheme(), uri.getAuthority(), full);
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
      session =
          std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(timeout_.count() * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, full,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
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
    return text;
  } catch (const Poco::TimeoutException&) {
    throw FleetError(fmt::format("{}: no answer within {} ms", shown, timeout_.count()));
  } catch (const Poco::Net::ConnectionRefusedException& e) {
    // Most often a master without its web UI: the REST API is served only
    // with it, and Debian's buildbot package ships none.
    throw FleetError(fmt::format(
        "{}: {}: nothing serves the master's REST API there. bbcheck fleet reads it from the "
        "master's web UI (c['www'] in master.cfg, with the buildbot-www package installed; "
        "Debian's buildbot package ships no buildbot-www): is --master the web UI's URL?",
        shown, safeLine(e.displayText())));
  } catch (const Poco::Exception& e) {
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
    throw FleetError(
        fmt::format("{}auth/login: the master set no session cookie for {}", target_->url, user));
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
