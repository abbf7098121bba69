#include "probes/system/cpu.h"

#include <fmt/format.h>
#include <unistd.h>

#include "probes/registry.h"

namespace bbcheck {

int onlineCpuCount() {
  long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

// usableCpuCount() reads the affinity mask, which is platform-specific:
// cpu_linux.cpp.

namespace {

Outcome runCpu(const Params& params, const ProbeContext&) {
  int64_t min = params.integer("min");
  int usable = usableCpuCount();
  int online = onlineCpuCount();
  Object observed;
  observed["count"] = usable;
  observed["online"] = online;
  Object expected;
  expected["min"] = min;
  if (usable >= min)
    return Outcome::pass(fmt::format("{} CPUs (need {})", usable, min), observed, expected);
  return Outcome::fail(fmt::format("{} CPUs usable, need at least {}", usable, min), observed,
                       expected);
}

const bool registered =
    registerProbe({"cpu",
                   "number of CPUs this process can use",
                   {{"min", ParamType::Int, false, "1", {}, "fewest CPUs that pass", 0}},
                   runCpu});

}  // namespace
}  // namespace bbcheck
