#include "probes/system/memory.h"

#include <fmt/format.h>

#include "probes/human.h"
#include "probes/registry.h"

namespace bbcheck {

// parseMeminfo() and readMemoryInfo() read the machine: memory_linux.cpp.

namespace {

Outcome runMemory(const Params& params, const ProbeContext&) {
  int64_t min = params.integerOr("min", 0);
  MemoryInfo info = readMemoryInfo();
  if (info.total_bytes < 0)
    return Outcome::error("cannot read total RAM (/proc/meminfo and sysinfo failed)");
  Object observed;
  observed["bytes"] = info.total_bytes;
  if (info.available_bytes >= 0) observed["available_bytes"] = info.available_bytes;
  Object expected;
  expected["min_bytes"] = min;
  std::string available = info.available_bytes >= 0
                              ? fmt::format("{} available", humanBytes(info.available_bytes))
                              : "";
  if (info.total_bytes >= min) {
    std::string need = min > 0 ? fmt::format(", need {}", humanLimit(min)) : "";
    return Outcome::pass(fmt::format("{} RAM{}{}", humanBytes(info.total_bytes), need,
                                     available.empty() ? "" : " (" + available + ")"),
                         observed, expected);
  }
  return Outcome::fail(fmt::format("{} RAM, need at least {} ({} < {} bytes{})",
                                   humanBytes(info.total_bytes), humanLimit(min), info.total_bytes,
                                   min, available.empty() ? "" : "; " + available),
                       observed, expected);
}

const bool registered = registerProbe(
    {"memory",
     "total RAM (MemTotal), also reporting what is available now",
     {{"min", ParamType::Size, false, "0", {}, "least total RAM that passes, e.g. 512MB"}},
     runMemory});

}  // namespace
}  // namespace bbcheck
