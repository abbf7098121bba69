#include "probes/system/memory.h"

#include <fmt/format.h>
#include <sys/sysinfo.h>

#include <fstream>
#include <sstream>

#include "probes/human.h"
#include "probes/registry.h"

namespace bbcheck {

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

MemoryInfo readMemoryInfo() {
  std::ifstream in("/proc/meminfo");
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    MemoryInfo info = parseMeminfo(text.str());
    if (info.total_bytes >= 0) return info;
  }
  MemoryInfo info;
  struct sysinfo si {};
  if (::sysinfo(&si) == 0) {
    info.total_bytes = static_cast<int64_t>(si.totalram) * si.mem_unit;
    // freeram + bufferram approximates MemAvailable on kernels without it.
    info.available_bytes = static_cast<int64_t>(si.freeram + si.bufferram) * si.mem_unit;
  }
  return info;
}

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
