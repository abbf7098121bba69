#include "probes/host_facts.h"

#include <Poco/Environment.h>
#include <Poco/Net/DNS.h>
#include <pwd.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include "probes/toolchain/compiler.h"
#include "probes/system/cpu.h"
#include "probes/proxy.h"
#include "probes/system/virtualization.h"

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
  facts.cpus = usableCpuCount();
  struct sysinfo info {};
  if (::sysinfo(&info) == 0)
    facts.memory_bytes = static_cast<int64_t>(info.totalram) * info.mem_unit;
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
