#include "probes/system/memory.h"

#include <fmt/format.h>

#include <sstream>

#include "probes/human.h"
#include "probes/param_binding.h"
#include "probes/system/cgroup.h"

namespace bbcheck {

// readMemoryInfo() reads the machine: memory_linux.cpp.

MemoryInfo parseMeminfo(const std::string& text) {
  MemoryInfo info;
  std::istringstream in(text);
  std::string key;
  int64_t kib = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    if (!(fields >> key >> kib)) continue;
    if (key == "MemTotal:") info.total_bytes = kib * 1024;
    if (key == "MemAvailable:") info.available_bytes = kib * 1024;
  }
  return info;
}

namespace {

struct MemoryParams {
  int64_t min = 0;  // bytes
};

Outcome runMemory(const MemoryParams& params, const ProbeContext&) {
  int64_t min = params.min;
  MemoryInfo info = readMemoryInfo();
  if (info.total_bytes < 0)
    return Outcome::error("cannot read total RAM (/proc/meminfo and sysinfo failed)");
  CgroupLimits limits = readCgroupLimits();
  EffectiveFigure memory = effectiveMemory(info.total_bytes, limits);
  auto usable = static_cast<int64_t>(memory.effective);
  int64_t available = info.available_bytes;
  if (available > usable) available = usable;  // the cgroup caps what is free, too
  Object observed;
  observed["bytes"] = usable;  // what the check judges
  observed["host_bytes"] = info.total_bytes;
  if (available >= 0) observed["available_bytes"] = available;
  if (limits.memory.limited) observed["cgroup_limit_bytes"] = limits.memory.value;
  addObserved(observed, memory, limits);
  Object expected;
  expected["min_bytes"] = min;
  // "300.0 MiB RAM usable (cgroup memory.max = 314572800 in /ci; the host has 23.5 GiB)"
  std::string ram = memory.limited_by.empty()
                        ? fmt::format("{} RAM", humanBytes(usable))
                        : fmt::format("{} RAM usable ({}; the host has {})", humanBytes(usable),
                                      memory.limited_by, humanBytes(info.total_bytes));
  std::string availableText =
      available >= 0 ? fmt::format("{} available", humanBytes(available)) : "";
  if (usable >= min) {
    std::string need = min > 0 ? fmt::format(", need {}", humanLimit(min)) : "";
    return Outcome::pass(
        fmt::format("{}{}{}", ram, need, availableText.empty() ? "" : " (" + availableText + ")"),
        observed, expected);
  }
  return Outcome::fail(fmt::format("{}, need at least {} ({} < {} bytes{})", ram, humanLimit(min),
                                   usable, min, availableText.empty() ? "" : "; " + availableText),
                       observed, expected);
}

}  // namespace

ProbeKind memoryProbe() {
  return probeKind(
      "memory",
      "RAM this process may use: MemTotal, or a tighter cgroup memory limit; also what "
      "is available now",
      {sizeParam("min", &MemoryParams::min, "least total RAM that passes, e.g. 512MB")}, runMemory);
}

}  // namespace bbcheck
