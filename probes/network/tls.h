// The `tls` probe: TCP connect, then a TLS handshake with SNI, verifying the
// certificate chain and the host name with OpenSSL directly (its X509 verify
// codes are what tell "untrusted" from "expired" from "wrong name"). The
// handshake itself is tls_handshake.h's.
#pragma once

#include <string>
#include <vector>

#include "probes/network/tcp_connect.h"
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "tls": a TLS handshake verifies the certificate (chain, name, expiry).
ProbeKind tlsProbe();

struct TlsOptions {
  std::string server_name;  // SNI and the name to verify; empty: the host
  std::string ca_file;      // trust only these CAs; empty: the system store
};

struct TlsResult {
  TcpAttempt tcp;
  bool handshake_ok = false;
  // None when the handshake worked and the certificate verified; else
  // TcpAttempt's causes, TlsHandshake, WrongProtocol, TlsUntrusted,
  // TlsExpired, TlsNameMismatch or TlsVerify.
  NetCause cause = NetCause::None;
  std::string detail;                      // OpenSSL's reason, or the verify errors
  std::vector<std::string> verify_errors;  // X509 verify error texts, each once
  std::string name;                        // the name verified (and sent as SNI)
  std::string protocol;                    // "TLSv1.3"
  std::string cipher;
  std::string subject;  // RFC 2253, "CN=localhost,O=Example"
  std::string issuer;
  std::vector<std::string> names;  // subjectAltName DNS names and IP addresses
  std::string not_before;          // "2026-11-25T12:00:00Z"
  std::string not_after;
  int64_t days_left = 0;    // until not_after, negative when expired
  int64_t ms = 0;           // connect + handshake
  std::string server_said;  // WrongProtocol: the first line the server sent, if text
  std::string setup_error;  // could not try (e.g. unreadable ca_file)

  bool ok() const { return cause == NetCause::None; }
  std::string endpoint() const;  // "localhost:443"
  std::string describe() const;  // one line, the cause first when not ok
  Value toValue() const;
};

}  // namespace bbcheck
