// Platforms without /proc: a process group's work cannot be read, so local
// programs are judged by the wall clock (probes/program_limit.h).
#include "probes/process_group_usage.h"

namespace bbcheck {

std::optional<GroupUsage> groupUsage(pid_t) {
  return std::nullopt;
}

}  // namespace bbcheck
