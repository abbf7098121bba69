// The `buildmaster` probe: connects to the master's Perspective Broker port
// and passes only when the server speaks first with the PB banner (Twisted's
// dialect list in Banana encoding). A port that accepts but says nothing or
// something else is not a buildmaster: a proxy, captive portal, wrong port.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "buildmaster": TCP to the master and its Perspective Broker banner.
ProbeKind buildmasterProbe();

// `02 80 02 82 70 62 04 82 6e 6f 6e 65`: ["pb", "none"] in Banana.
extern const char kPbBanner[12];

// Default port of buildbot-worker create-worker when MASTER has none.
constexpr int kDefaultPbPort = 9989;

// Splits "host:port", "[v6addr]:port" or "host" (port kDefaultPbPort).
// False with `error` set when it is not such an address.
bool splitMasterAddress(const std::string& address, std::string* host, int* port,
                        std::string* error);

// "48 54 54 50" for "HTTP", at most `max` bytes.
std::string hexBytes(const std::string& bytes, size_t max = 16);

// What a server that sent `bytes` (not the banner) probably is, e.g. "an HTTP
// server (a proxy, captive portal or web server)"; "" when unrecognised.
std::string recogniseGreeting(const std::string& bytes);

}  // namespace bbcheck
