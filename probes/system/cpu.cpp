#include "probes/system/cpu.h"

#include <fmt/format.h>
#include <unistd.h>

#include "probes/human.h"
#include "probes/param_binding.h"
#include "probes/system/cgroup.h"

namespace bbcheck {

int onlineCpuCount() {
  long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

// usableCpuCount() reads the affinity mask, which is platform-specific:
// cpu_linux.cpp.

namespace {

// A whole number of CPUs stays an integer in the report; a quota may not be one.
Value cpuValue(double cpus) {
  if (cpus == static_cast<double>(static_cast<int64_t>(cpus))) return static_cast<int64_t>(cpus);
  return cpus;
}

struct CpuParams {
  int64_t min = 1;
};

Outcome runCpu(const CpuParams& params, const ProbeContext&) {
  int64_t min = params.min;
  int usable = usableCpuCount();
  int online = onlineCpuCount();
  CgroupLimits limits = readCgroupLimits();
  EffectiveFigure cpus = effectiveCpus(usable, limits);
  Object observed;
  observed["count"] = cpuValue(cpus.effective);  // what the check judges
  observed["affinity"] = usable;
  observed["online"] = online;
  if (limits.cpu.limited) observed["cgroup_quota_cpus"] = limits.cpu.value;
  addObserved(observed, cpus, limits);
  Object expected;
  expected["min"] = min;
  // "0.5 CPU usable (cgroup cpu.max = 50000 100000 in /ci; the host has 2 CPUs)"
  std::string usableText = cpus.limited_by.empty() ? cpusText(cpus.effective)
                                                   : fmt::format("{} usable ({}; the host has {})",
                                                                 cpusText(cpus.effective),
                                                                 cpus.limited_by, cpusText(usable));
  if (cpus.effective >= static_cast<double>(min))
    return Outcome::pass(fmt::format("{} (need {})", usableText, min), observed, expected);
  return Outcome::fail(fmt::format("{}{}, need at least {}", usableText,
                                   cpus.limited_by.empty() ? " usable" : "", min),
                       observed, expected);
}

}  // namespace

ProbeKind cpuProbe() {
  return probeKind("cpu",
                   "number of CPUs this process can use (affinity mask and cgroup CPU quota)",
                   {intParam("min", &CpuParams::min, "fewest CPUs that pass").atLeast(0)}, runCpu);
}

}  // namespace bbcheck
