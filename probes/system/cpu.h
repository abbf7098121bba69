#pragma once

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "cpu": enough CPUs usable by this process.
ProbeKind cpuProbe();

// CPUs this process may run on (affinity mask), which is what a parallel
// test run gets; falls back to the online count.
int usableCpuCount();

// CPUs the kernel has online.
int onlineCpuCount();

}  // namespace bbcheck
