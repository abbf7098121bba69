// How master.pb's tests run the probe (header only, for *_test.cpp files):
// one address, an optional build area, a timeout. Shared by the loopback
// tests (unit, every architecture) and the real-master ones (root).
#pragma once

#include <string>

#include "probes/network/buildmaster.h"

namespace bbcheck::testing {

inline Outcome runBuildmasterProbe(const std::string& address, const std::string& buildarea = "",
                                   Milliseconds timeout = Milliseconds(3000)) {
  Params params;
  params.set("address", address);
  params.set("buildarea", buildarea);
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return buildmasterProbe().run(params, ctx);
}

inline std::string loopbackAddress(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace bbcheck::testing
