// Linux's RAM figures: /proc/meminfo (MemTotal, MemAvailable, parsed by
// memory.cpp), or sysinfo(2) where /proc is not mounted.
#include <sys/sysinfo.h>

#include <fstream>
#include <sstream>

#include "probes/system/memory.h"

namespace bbcheck {

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

}  // namespace bbcheck
