#include "probes/human.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace bbcheck {

std::string humanBytes(int64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024 && bytes > -1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  int unit = -1;
  while ((value >= 1024 || value <= -1024) && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string humanLimit(int64_t bytes) {
  struct Unit {
    int64_t size;
    const char* name;
  };
  static const Unit kUnits[] = {
      {1LL << 40, "TiB"}, {1000000000000LL, "TB"}, {1LL << 30, "GiB"}, {1000000000LL, "GB"},
      {1LL << 20, "MiB"}, {1000000LL, "MB"},       {1LL << 10, "KiB"}, {1000LL, "kB"},
  };
  for (const Unit& unit : kUnits) {
    // "25732672 KiB" is exact but unreadable: only short quotients count.
    if (bytes < unit.size || bytes / unit.size >= 10000) continue;
    if (bytes % unit.size == 0) return fmt::format("{} {}", bytes / unit.size, unit.name);
    // One decimal is how sizes like "2.5G" are written.
    if ((bytes * 10) % unit.size == 0) {
      return fmt::format("{:.1f} {}", static_cast<double>(bytes) / unit.size, unit.name);
    }
  }
  return humanBytes(bytes);
}

std::string tildePath(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (home == nullptr) return path;
  std::string prefix = home;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix.empty() || prefix == "/") return path;
  if (path == prefix) return "~";
  if (path.compare(0, prefix.size(), prefix) == 0 && path[prefix.size()] == '/')
    return "~" + path.substr(prefix.size());
  return path;
}

std::string cpusText(double cpus) {
  std::string number = std::floor(cpus) == cpus ? fmt::format("{}", static_cast<int64_t>(cpus))
                                                : fmt::format("{:.2g}", cpus);
  return fmt::format("{} CPU{}", number, cpus > 1 ? "s" : "");
}

}  // namespace bbcheck
