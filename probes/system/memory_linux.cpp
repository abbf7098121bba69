// Linux's RAM figures: /proc/meminfo (MemTotal, MemAvailable), or sysinfo(2)
// where /proc is not mounted.
#include <sys/sysinfo.h>

#include <fstream>
#include <sstream>

#include "probes/system/memory.h"

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

}  // namespace bbcheck
