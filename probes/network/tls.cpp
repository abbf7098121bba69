#include "probes/network/tls.h"

#include <fmt/format.h>

#include "probes/net_errors.h"
#include "probes/network/tls_handshake.h"
#include "probes/param_binding.h"

namespace bbcheck {

std::string TlsResult::endpoint() const {
  return fmt::format("{}:{}", tcp.host, tcp.port);
}

namespace {

// "localhost:443 (127.0.0.1:443)", or "127.0.0.1:443" when that is the host.
std::string where(const TlsResult& r) {
  return r.tcp.address.empty() || r.tcp.address == r.endpoint() ||
                 r.tcp.address == fmt::format("[{}]:{}", r.tcp.host, r.tcp.port)
             ? r.endpoint()
             : fmt::format("{} ({})", r.endpoint(), r.tcp.address);
}

std::string daysText(int64_t days) {
  return fmt::format("{} day{}", days, days == 1 ? "" : "s");
}

}  // namespace

std::string TlsResult::describe() const {
  std::string cert =
      subject.empty() ? "" : fmt::format(" (subject {}, issuer {})", subject, issuer);
  switch (cause) {
    case NetCause::None:
      return fmt::format("{} {} certificate {} issued by {}, valid until {} ({} left)",
                         where(*this), protocol, subject, issuer, not_after.substr(0, 10),
                         daysText(days_left));
    case NetCause::TlsUntrusted:
      return fmt::format("certificate of {} not trusted: {}{}", endpoint(), detail, cert);
    case NetCause::TlsExpired:
      return days_left < 0
                 ? fmt::format("certificate of {} expired on {} ({} ago): {}{}", endpoint(),
                               not_after.substr(0, 10), daysText(-days_left), detail, cert)
                 : fmt::format("certificate of {} not valid yet (from {}): {}{}", endpoint(),
                               not_before.substr(0, 10), detail, cert);
    case NetCause::TlsNameMismatch:
      return fmt::format(
          "certificate of {} is not valid for '{}' (it names {}){}", endpoint(), name,
          names.empty() ? "no alternative names" : fmt::format("{}", fmt::join(names, ", ")), cert);
    case NetCause::TlsVerify:
      return fmt::format("certificate of {} failed verification: {}{}", endpoint(), detail, cert);
    case NetCause::TlsHandshake:
      return fmt::format("TLS handshake with {} failed: {}", where(*this), detail);
    case NetCause::WrongProtocol:
      return fmt::format("TLS handshake with {} failed: the server does not speak TLS there ({}{})",
                         where(*this), detail,
                         server_said.empty() ? "" : fmt::format("; it sent \"{}\"", server_said));
    default:
      if (!tcp.ok) return tcp.describe();
      if (cause == NetCause::TimedOut)
        return fmt::format("no TLS answer from {} within {} ms: {}", where(*this), ms, detail);
      return fmt::format("TLS with {} failed: {} ({})", where(*this), causeText(cause), detail);
  }
}

Value TlsResult::toValue() const {
  Object out;
  out["host"] = tcp.host;
  out["port"] = tcp.port;
  out["address"] = tcp.address;
  out["ok"] = ok();
  out["cause"] = std::string(causeName(cause));
  out["detail"] = detail;
  out["name"] = name;
  out["ms"] = ms;
  if (!server_said.empty()) out["server_said"] = server_said;
  if (!handshake_ok) {
    if (!tcp.ok) out["tcp"] = tcp.toValue();
    return out;
  }
  out["protocol"] = protocol;
  out["cipher"] = cipher;
  out["subject"] = subject;
  out["issuer"] = issuer;
  out["names"] = Array(names.begin(), names.end());
  out["not_before"] = not_before;
  out["not_after"] = not_after;
  out["days_left"] = days_left;
  out["verify_errors"] = Array(verify_errors.begin(), verify_errors.end());
  return out;
}

namespace {

struct TlsParams {
  std::string host;
  int64_t port = 443;
  std::string ca_file;
  int64_t min_days = 0;
  std::string server_name;
};

Outcome runTls(const TlsParams& params, const ProbeContext& ctx) {
  const std::string& host = params.host;
  int64_t port = params.port;
  int64_t minDays = params.min_days;
  if (port < 1 || port > 65535)
    return Outcome::error(fmt::format("port {} is not in 1..65535", port));
  TlsOptions options{params.server_name, params.ca_file};
  TlsResult r = checkTls(host, static_cast<int>(port), options, ctx.deadline);
  Value observed = r.toValue();
  Object expected;
  expected["verified"] = true;
  expected["name"] = r.name;
  expected["min_days"] = minDays;
  if (!options.ca_file.empty()) expected["ca_file"] = options.ca_file;
  if (!r.setup_error.empty()) return Outcome::error(r.setup_error, observed);
  if (!r.ok()) return Outcome::fail(r.describe(), observed, expected);
  if (r.days_left < minDays)
    return Outcome::fail(
        fmt::format("certificate of {} expires in {} days ({}), need at least {} (subject {})",
                    r.endpoint(), r.days_left, r.not_after.substr(0, 10), minDays, r.subject),
        observed, expected);
  return Outcome::pass(r.describe(), observed, expected);
}

}  // namespace

ProbeKind tlsProbe() {
  return probeKind(
      "tls", "TLS handshake with certificate verification (chain, name, expiry)",
      {stringParam("host", &TlsParams::host, "host name or address").required(),
       intParam("port", &TlsParams::port, "TCP port").between(1, 65535),
       pathParam("ca_file", &TlsParams::ca_file,
                 "PEM file of CAs to trust instead of the system store"),
       intParam("min_days", &TlsParams::min_days, "fail when the certificate expires sooner")
           .atLeast(0),
       stringParam("server_name", &TlsParams::server_name,
                   "name for SNI and verification (default: host)")},
      runTls);
}

}  // namespace bbcheck
