// Why a network operation failed, classified so that a volunteer behind a
// firewall learns from one message what happened: the name did not resolve,
// the host refused, packets were dropped (timed out), no route, a reset, a
// TLS problem or a server speaking another protocol.
#pragma once

#include <string>

namespace bbcheck {

enum class NetCause {
  None,                // it worked
  DnsFailure,          // the name did not resolve (resolver's error in the detail)
  DnsTimeout,          // the resolver did not answer before the deadline
  Refused,             // RST to our SYN: nothing listens, or a REJECT rule
  TimedOut,            // no answer at all: packets dropped (firewall) or host down
  NetworkUnreachable,  // no route to that network (e.g. no IPv6, offline)
  HostUnreachable,     // a router (or a route) says the host cannot be reached
  Prohibited,          // administratively prohibited (a policy route or filter)
  Reset,               // connection reset by the peer or a middlebox
  TlsHandshake,        // the TLS handshake failed (alert, no common protocol...)
  TlsUntrusted,        // chain does not lead to a trusted CA (self-signed, unknown CA)
  TlsExpired,          // certificate expired (or not yet valid)
  TlsNameMismatch,     // certificate is not for the name we asked for
  TlsVerify,           // another certificate verification error
  WrongProtocol,       // the server answered, but not in the expected protocol
  LocalResources,      // this process ran out of descriptors or buffers (EMFILE, ENFILE,
                       // ENOBUFS, ENOMEM): nothing was learnt about the network
  Other,               // anything else (the detail says what)
};

// Stable machine name for observed values, e.g. "refused", "timed_out".
const char* causeName(NetCause cause);

// Short human text, e.g. "connection refused", "timed out".
const char* causeText(NetCause cause);

// Classifies an errno from connect(), send() or recv().
NetCause classifyErrno(int err);

// True for a cause that says nothing about the network, only that this
// process could not try (LocalResources): such a check is an `error`, never a
// `fail` with network advice.
bool isLocalShortage(NetCause cause);

// strerror() text of `err`, thread-safe.
std::string errnoText(int err);

}  // namespace bbcheck
