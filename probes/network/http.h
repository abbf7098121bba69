// The `http` probe: the status of a GET (or HEAD) of a URL, through the
// proxy the environment names (http_proxy, https_proxy, no_proxy), with
// every failure classified. URLs are printed without their credentials.
#pragma once

#include <string>

#include "probes/network/tls.h"
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "http": the HTTP(S) status of a URL, through the proxy.
ProbeKind httpProbe();

struct HttpResult {
  std::string url;     // redacted
  std::string method;  // "GET" or "HEAD"
  bool answered = false;
  int status = 0;
  std::string reason;               // "OK"
  std::string location;             // redacted Location header of a redirect
  std::string proxy;                // redacted proxy URL when one was used, else ""
  std::string proxy_variable;       // the variable that named it
  std::string no_proxy_match;       // the no_proxy entry that bypassed a proxy
  TcpAttempt tcp;                   // to the server, or to the proxy
  TlsResult tls;                    // for https, when its handshake failed
  NetCause cause = NetCause::None;  // when not answered
  std::string detail;
  std::string server_said;  // http: first line of a non-HTTP answer
  std::string setup_error;  // could not try (bad URL)
  int64_t ms = 0;

  std::string describe() const;  // one line, never with credentials
  Value toValue() const;
};

// Fetches the status line (and headers) of `url`; never blocks past
// `deadline`. `caFile` replaces the system trust store for https.
HttpResult fetchStatus(const std::string& url, const std::string& method, const std::string& caFile,
                       Clock::time_point deadline);

// `spec` is "", "200", "2xx" or a comma list of those ("200,301", "2xx,404");
// "" accepts 2xx and 3xx. Returns false with `error` set when spec is bad.
bool statusMatches(const std::string& spec, int status, bool& matches, std::string& error);

}  // namespace bbcheck
