// Small helpers for probe tests that need no root (header only): a probe
// context with a deadline, elapsed time, and SIGPIPE ignored as bbcheck's
// main ignores it. Including this file does not make a test a root test
// (tests/CMakeLists.txt); tests/net_testing.h includes it.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>

#include "probes/probe.h"

namespace bbcheck::testing {

// bbcheck's main ignores SIGPIPE (a peer closing mid-write must not kill
// the run); the test binary does the same, once.
inline const bool kSigpipeIgnored = (std::signal(SIGPIPE, SIG_IGN), true);

// A probe context whose deadline is `ms` from now (ProbeContext{} has a
// deadline in the past).
inline ProbeContext contextFor(int64_t ms) {
  ProbeContext ctx;
  ctx.timeout = Milliseconds(ms);
  ctx.deadline = Clock::now() + ctx.timeout;
  return ctx;
}

inline int64_t elapsedMs(Clock::time_point start) {
  return std::chrono::duration_cast<Milliseconds>(Clock::now() - start).count();
}

}  // namespace bbcheck::testing
