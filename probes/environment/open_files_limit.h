// RLIMIT_NOFILE of this process (what the worker's children inherit when
// bbcheck runs in the worker's environment) and where it was set.
#pragma once

#include <cstdint>
#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "open-files-limit": RLIMIT_NOFILE within a sane range.
ProbeKind openFilesLimitProbe();

constexpr int64_t kUnlimited = -1;

struct FileLimit {
  int64_t soft = 0;  // kUnlimited for RLIM_INFINITY
  int64_t hard = 0;
};

// Where the limit comes from: the nearest ancestor process whose own limit
// differs from its child's marks the process that changed it.
struct LimitOrigin {
  bool known = false;
  int set_by_pid = 0;          // the oldest ancestor with the same limit as ours
  std::string set_by;          // its command name, e.g. "bash", "cron", "systemd"
  std::string inherited_from;  // "" or "pid 1 (systemd) has 1024/524288"
  int64_t kernel_max = -1;     // /proc/sys/fs/nr_open: the hard limit's ceiling
};

FileLimit readFileLimit();
LimitOrigin findLimitOrigin(const FileLimit& ours);  // Linux: /proc; elsewhere unknown

// "" when soft and hard are within [min, max], else what is wrong.
std::string judgeFileLimit(const FileLimit& limit, int64_t min, int64_t max);

std::string openFilesText(int64_t value);  // "1024", "unlimited"

}  // namespace bbcheck
