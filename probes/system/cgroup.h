// Control-group limits that bind this process: what a CI container started
// with `--memory 300m --cpus 0.5` on a 64 GB, 16-CPU host really gets. The
// host's figures (MemTotal, the affinity mask) overstate it; the probes judge
// the effective figure and report both.
//
// The reading (/proc/self/cgroup, /proc/self/mountinfo, the limit files of
// this cgroup and every ancestor, cgroup v1 and v2) is Linux's:
// cgroup_linux.cpp. The parsing of one limit file's text and the combining of
// host and cgroup figures are portable: cgroup.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probes/human.h"  // cpusText
#include "probes/probe.h"

namespace bbcheck {

// The tightest limit of one kind over a cgroup and its ancestors.
struct CgroupLimit {
  bool limited = false;
  double value = 0;   // bytes (memory) or CPUs (quota / period)
  std::string file;   // "memory.max", "memory.limit_in_bytes", "cpu.max", ...
  std::string group;  // the cgroup that set it, as /proc/self/cgroup names it
  std::string raw;    // the file's text, e.g. "50000 100000"
};

struct CgroupLimits {
  CgroupLimit memory;
  CgroupLimit cpu;
  std::vector<std::string> problems;  // limit files that exist but could not be read
};

// Reads the limits of the calling process. `root` prefixes every path read
// ("" = this machine), so tests can point it at a tree shaped like /proc and
// cgroupfs.
CgroupLimits readCgroupLimits(const std::string& root = "");

// One limit file's text, parsed. nullopt: no limit ("max", v1's "unlimited"
// page-counter maximum, -1). Throws std::invalid_argument on text that is not
// a limit.
std::optional<double> parseMemoryLimit(const std::string& text);  // bytes
std::optional<double> parseCpuMax(const std::string& text);       // v2 "quota period"
std::optional<double> parseCfsQuota(const std::string& quota, const std::string& period);  // v1

// "cgroup memory.max = 314572800 in /ci/job" for messages.
std::string describeLimit(const CgroupLimit& limit);

// Host and effective figures side by side, and which limit made the
// difference (nullptr-like empty `limited_by` when none did).
struct EffectiveFigure {
  double host = 0;         // what the machine has (MemTotal, CPUs in the affinity mask)
  double effective = 0;    // what this process may use: min(host, cgroup limit)
  std::string limited_by;  // describeLimit() of the binding limit; "" when the host's figure binds
};

EffectiveFigure effectiveMemory(int64_t hostBytes, const CgroupLimits& limits);
EffectiveFigure effectiveCpus(int hostCpus, const CgroupLimits& limits);

// The fields a probe adds to its observed value: host, effective,
// limited_by and any reading problems.
void addObserved(Object& observed, const EffectiveFigure& figure, const CgroupLimits& limits);

}  // namespace bbcheck
