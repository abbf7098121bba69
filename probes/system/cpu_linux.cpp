// Linux's count of the CPUs this process may use: the sched_getaffinity(2)
// mask, which taskset and cgroup cpusets narrow.
#include <sched.h>

#include "probes/system/cpu.h"

namespace bbcheck {

int usableCpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return onlineCpuCount();
}

}  // namespace bbcheck
