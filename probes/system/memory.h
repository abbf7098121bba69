#pragma once

#include <cstdint>
#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "memory": enough RAM usable by this process.
ProbeKind memoryProbe();

struct MemoryInfo {
  int64_t total_bytes = -1;      // MemTotal: physical RAM the kernel manages
  int64_t available_bytes = -1;  // MemAvailable: usable without swapping (-1: unknown)
};

// Parses /proc/meminfo text (values in kB) into bytes.
MemoryInfo parseMeminfo(const std::string& text);

// /proc/meminfo, falling back to sysinfo(2) where /proc is not mounted.
MemoryInfo readMemoryInfo();

}  // namespace bbcheck
