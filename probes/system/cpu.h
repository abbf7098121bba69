#pragma once

namespace bbcheck {

// CPUs this process may run on (affinity mask), which is what a parallel
// test run gets; falls back to the online count.
int usableCpuCount();

// CPUs the kernel has online.
int onlineCpuCount();

}  // namespace bbcheck
