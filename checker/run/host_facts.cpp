#include "checker/run/host_facts.h"

#include <Poco/Environment.h>
#include <Poco/Net/DNS.h>
#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "probes/proxy.h"
#include "probes/system/cgroup.h"
#include "probes/system/cpu.h"
#include "probes/system/memory.h"
#include "probes/system/virtualization.h"
#include "probes/toolchain/compiler.h"

namespace bbcheck {
namespace {

// os-release values may be quoted; the format is shell-like KEY=value lines.
std::map<std::string, std::string> readOsRelease() {
  std::map<std::string, std::string> values;
  for (const char* path : {"/etc/os-release", "/usr/lib/os-release"}) {
    std::ifstream in(path);
    if (!in) continue;
    std::string line;
    while (std::getline(in, line)) {
      auto eq = line.find('=');
      if (eq == std::string::npos || line[0] == '#') continue;
      std::string value = line.substr(eq + 1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      values[line.substr(0, eq)] = value;
    }
    break;
  }
  return values;
}

}  // namespace

HostFacts collectHostFacts(Clock::time_point deadline, bool deep) {
  HostFacts facts;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0) facts.hostname = name;
  auto osRelease = readOsRelease();
  facts.os = osRelease.count("NAME") ? osRelease["NAME"] : "Linux";
  facts.os_version = osRelease["VERSION_ID"];
  facts.os_id = osRelease["ID"];
  facts.os_codename = osRelease["VERSION_CODENAME"];
  utsname uts{};
  if (::uname(&uts) == 0) {
    facts.kernel = uts.release;
    facts.arch = uts.machine;
  }
  // The figures the cpu and memory checks judge: a CI container's --cpus and
  // --memory, not the host's.
  CgroupLimits limits = readCgroupLimits();
  facts.host_cpus = usableCpuCount();
  EffectiveFigure cpus = effectiveCpus(facts.host_cpus, limits);
  facts.cpus = std::max(1, static_cast<int>(cpus.effective));
  if (!cpus.limited_by.empty()) facts.cpu_quota = cpus.effective;
  facts.cpu_limited_by = cpus.limited_by;
  // The figure the memory check reads (/proc/meminfo first): sysinfo(2)'s
  // counts are unsigned long, which a 32-bit program on a 64-bit kernel
  // under qemu-user gets cut to 32 bits (24 GiB read as 3.5 GiB on armhf).
  MemoryInfo memoryInfo = readMemoryInfo();
  if (memoryInfo.total_bytes >= 0) facts.host_memory_bytes = memoryInfo.total_bytes;
  EffectiveFigure memory = effectiveMemory(facts.host_memory_bytes, limits);
  facts.memory_bytes = static_cast<int64_t>(memory.effective);
  facts.memory_limited_by = memory.limited_by;
  facts.uid = ::geteuid();
  if (passwd* pw = ::getpwuid(::geteuid())) facts.user = pw->pw_name;
  facts.proxies = proxyEnvironment();
  if (deep) {
    facts.virtualization = detectVirtualization(deadline);
    facts.compilers = detectCompilers(deadline);
  }
  return facts;
}

}  // namespace bbcheck
