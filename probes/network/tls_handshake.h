// A TLS handshake with OpenSSL directly, over a fresh TCP connection or one
// already made (tls_handshake.cpp): what the `tls` probe and the `http`
// probe's https requests judge.
#pragma once

#include <string>

#include "probes/network/tls.h"
#include "probes/probe.h"

namespace bbcheck {

// Never blocks past `deadline`.
TlsResult checkTls(const std::string& host, int port, const TlsOptions& options,
                   Clock::time_point deadline);

// The handshake and verification alone, over `result.tcp`, which must be
// connected (e.g. a tunnel through a proxy); `result.tcp.host` is the name
// verified unless options.server_name is set.
void tlsOverConnected(TlsResult& result, const TlsOptions& options, Clock::time_point deadline);

}  // namespace bbcheck
