#include "probes/proxy.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include <cstdlib>
#include <vector>

namespace bbcheck {
namespace {

const std::vector<std::string> kProxyVariables = {
    "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy",
    "FTP_PROXY",  "all_proxy",  "ALL_PROXY",   "no_proxy",    "NO_PROXY"};

std::string environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value ? value : "";
}

// First non-empty of the lower-case then upper-case variable; `chosen` names it.
std::string pick(const std::string& lower, std::string& chosen) {
  for (const std::string& name : {lower, Poco::toUpper(lower)}) {
    std::string value = environment(name);
    if (!value.empty()) {
      chosen = name;
      return value;
    }
  }
  return "";
}

// Cuts everything up to the last '@' of the authority: right even when a
// password holds an unescaped '@', which URI parsers split at the first one.
std::string cutUserInfo(const std::string& url) {
  size_t scheme = url.find("://");
  size_t begin = scheme == std::string::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", begin);
  std::string authority =
      url.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  size_t at = authority.rfind('@');
  if (at == std::string::npos) return url;
  return url.substr(0, begin) + url.substr(begin + at + 1);
}

// Query values may be tokens or passwords (`?token=...&password=...`): each
// value becomes "REDACTED", the names stay so that a reader still sees
// which URL it was. The fragment goes the same way.
std::string cutQueryValues(const std::string& url) {
  size_t query = url.find('?');
  if (query == std::string::npos) return url;
  size_t fragment = url.find('#', query);
  std::string params = url.substr(
      query + 1, fragment == std::string::npos ? std::string::npos : fragment - query - 1);
  std::string out = url.substr(0, query + 1);
  size_t start = 0;
  while (start <= params.size()) {
    size_t end = params.find_first_of("&;", start);
    if (end == std::string::npos) end = params.size();
    std::string item = params.substr(start, end - start);
    size_t eq = item.find('=');
    out += eq == std::string::npos || eq + 1 == item.size() ? item
                                                            : item.substr(0, eq + 1) + "REDACTED";
    if (end < params.size()) out += params[end];
    start = end + 1;
  }
  if (fragment != std::string::npos) out += fragment + 1 == url.size() ? "#" : "#REDACTED";
  return out;
}

}  // namespace

std::string redactUrl(const std::string& url) {
  std::string cut = cutUserInfo(url);
  bool schemeless = cut.find("://") == std::string::npos;
  try {
    // Poco normalises what is left (and would drop any userinfo we missed).
    Poco::URI uri(schemeless ? "http://" + cut : cut);
    uri.setUserInfo("");
    std::string out = cutQueryValues(uri.toString());
    return schemeless && out.rfind("http://", 0) == 0 ? out.substr(7) : out;
  } catch (const Poco::Exception&) {
    return cutQueryValues(cut);
  }
}

std::map<std::string, std::string> proxyEnvironment() {
  std::map<std::string, std::string> out;
  for (const auto& name : kProxyVariables) {
    std::string value = environment(name);
    if (value.empty()) continue;
    bool isList = Poco::icompare(name, "no_proxy") == 0;
    out[name] = isList ? value : redactUrl(value);
  }
  return out;
}

std::string noProxyMatch(const std::string& noProxy, const std::string& host, int port) {
  std::string name = Poco::toLower(host);
  if (name.size() > 2 && name.front() == '[' && name.back() == ']')
    name = name.substr(1, name.size() - 2);
  size_t start = 0;
  while (start <= noProxy.size()) {
    size_t end = noProxy.find_first_of(", ", start);
    if (end == std::string::npos) end = noProxy.size();
    std::string entry = Poco::toLower(noProxy.substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;
    if (entry == "*") return entry;
    std::string pattern = entry;
    size_t colon = pattern.rfind(':');
    // "host:port" (but not a bare IPv6 address, which has several colons).
    if (colon != std::string::npos && pattern.find(':') == colon) {
      if (pattern.substr(colon + 1) != std::to_string(port)) continue;
      pattern = pattern.substr(0, colon);
    }
    if (pattern.size() > 2 && pattern.front() == '[' && pattern.back() == ']')
      pattern = pattern.substr(1, pattern.size() - 2);
    if (!pattern.empty() && pattern.front() == '.') pattern = pattern.substr(1);
    if (name == pattern) return entry;
    if (name.size() > pattern.size() &&
        name.compare(name.size() - pattern.size(), pattern.size(), pattern) == 0 &&
        name[name.size() - pattern.size() - 1] == '.')
      return entry;
  }
  return "";
}

ProxyChoice proxyFor(const std::string& scheme, const std::string& host, int port) {
  ProxyChoice choice;
  std::string variable;
  std::string value = pick(scheme + "_proxy", variable);
  if (value.empty()) value = pick("all_proxy", variable);
  if (value.empty()) return choice;
  std::string noProxyVariable;
  choice.bypass = noProxyMatch(pick("no_proxy", noProxyVariable), host, port);
  choice.variable = variable;
  choice.url = redactUrl(value);
  if (!choice.bypass.empty()) return choice;
  try {
    Poco::URI uri(value.find("://") == std::string::npos ? "http://" + value : value);
    if (Poco::toLower(uri.getScheme()) != "http") {
      choice.problem = fmt::format("{} names a {} proxy ({}); only HTTP proxies are supported",
                                   variable, uri.getScheme(), choice.url);
      return choice;
    }
    choice.host = uri.getHost();
    choice.port = uri.getSpecifiedPort() != 0 ? uri.getSpecifiedPort() : 1080;
    std::string userInfo = uri.getUserInfo();
    size_t colon = userInfo.find(':');
    Poco::URI::decode(userInfo.substr(0, colon), choice.username);
    if (colon != std::string::npos) Poco::URI::decode(userInfo.substr(colon + 1), choice.password);
    choice.use = !choice.host.empty();
    if (!choice.use) choice.problem = fmt::format("{} has no host ({})", variable, choice.url);
  } catch (const Poco::Exception&) {
    // Not e.message(): it may quote the URL, credentials included.
    choice.problem = fmt::format("cannot read the proxy URL in {} ({})", variable, choice.url);
  }
  return choice;
}

std::string tcpProxyNote() {
  auto proxies = proxyEnvironment();
  for (const char* name :
       {"all_proxy", "ALL_PROXY", "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"}) {
    auto it = proxies.find(name);
    if (it != proxies.end())
      return fmt::format("{} is set ({}), but plain TCP does not go through a proxy", it->first,
                         it->second);
  }
  return "";
}

}  // namespace bbcheck
