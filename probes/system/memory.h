#pragma once

#include <cstdint>
#include <string>

namespace bbcheck {

struct MemoryInfo {
  int64_t total_bytes = -1;      // MemTotal: physical RAM the kernel manages
  int64_t available_bytes = -1;  // MemAvailable: usable without swapping (-1: unknown)
};

// Parses /proc/meminfo text (values in kB) into bytes.
MemoryInfo parseMeminfo(const std::string& text);

// /proc/meminfo, falling back to sysinfo(2) where /proc is not mounted.
MemoryInfo readMemoryInfo();

}  // namespace bbcheck
