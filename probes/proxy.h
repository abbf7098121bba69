// Proxy settings from the environment (http_proxy, https_proxy, all_proxy,
// no_proxy, any case) and URL redaction: credentials in a URL or a proxy
// URL must never reach a message, an observed value or a report.
#pragma once

#include <map>
#include <string>

namespace bbcheck {

// `url` without its userinfo ("http://user:secret@proxy:3128/" ->
// "http://proxy:3128/") and without its query values and fragment
// ("/x?token=abc&v" -> "/x?token=REDACTED&v"). Works on scheme-less proxy
// values too ("user:pw@proxy:3128" -> "proxy:3128").
std::string redactUrl(const std::string& url);

// Every proxy variable that is set, by its name, with credentials removed.
std::map<std::string, std::string> proxyEnvironment();

// The proxy to use for a URL, from the environment.
struct ProxyChoice {
  bool use = false;
  std::string variable;  // which variable chose it, e.g. "https_proxy"
  std::string url;       // redacted proxy URL, safe to print
  std::string host;
  int port = 0;
  std::string username;  // never printed
  std::string password;  // never printed
  std::string bypass;    // the no_proxy entry that matched, when bypassed
  std::string problem;   // set when the variable names no usable HTTP proxy
};

// `scheme` is "http" or "https". Lower-case variables win over upper-case.
// A proxy URL without a port means port 1080, as in curl.
ProxyChoice proxyFor(const std::string& scheme, const std::string& host, int port);

// curl-style no_proxy match: "*", exact host or IP, or a domain suffix
// ("example.com" and ".example.com" both match "www.example.com"); an entry
// may carry ":port". Returns the matching entry or "".
std::string noProxyMatch(const std::string& noProxy, const std::string& host, int port);

// For plain TCP probes: "" when no proxy variable is set, else a note that
// plain TCP does not go through the proxy named there.
std::string tcpProxyNote();

}  // namespace bbcheck
