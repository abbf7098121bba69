// Facts about the machine for the report's "host" object (and the farm's
// onboarding form): what it is, not whether it is ready.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/toolchain/compiler_fact.h"

namespace bbcheck {

struct HostFacts {
  std::string hostname;
  std::string os;           // os-release NAME, e.g. "Debian GNU/Linux"
  std::string os_version;   // os-release VERSION_ID, e.g. "12"
  std::string os_id;        // os-release ID, e.g. "debian"
  std::string os_codename;  // os-release VERSION_CODENAME, e.g. "bookworm"
  std::string kernel;       // uname -r
  std::string arch;         // uname -m
  // What this process may use (cgroup limits applied): the report's figures.
  int cpus = 0;  // whole CPUs, at least 1 (a 0.5 CPU quota is 1 here)
  int64_t memory_bytes = 0;
  // The machine's own figures, and the cgroup limits that narrow them ("" none).
  int host_cpus = 0;     // CPUs in the affinity mask
  double cpu_quota = 0;  // CPUs the cgroup quota allows; 0: no quota below host_cpus
  int64_t host_memory_bytes = 0;
  std::string cpu_limited_by;
  std::string memory_limited_by;
  std::string user;
  int64_t uid = -1;
  std::string virtualization;  // "kvm", "docker", "none", ... ("" unknown)
  std::vector<CompilerFact> compilers;
  std::map<std::string, std::string> proxies;  // variable -> URL without credentials
};

// Reads the facts. `deep` adds the ones that cost processes (compilers,
// virtualization); they stop at `deadline`.
HostFacts collectHostFacts(Clock::time_point deadline, bool deep);

}  // namespace bbcheck
