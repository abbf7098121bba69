// Linux's isolation evidence: systemd-detect-virt when installed, else
// container marks, DMI/CPUID/sysfs hypervisor signs and /proc chroot checks.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

#include "probes/isolation.h"
#include "probes/once_cache.h"
#include "probes/process.h"
#include "probes/text.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace bbcheck {
namespace {

// Whole file, or "" when it cannot be read (missing, permission denied).
std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void addEvidence(Isolation& result, const std::string& what) {
  result.evidence += (result.evidence.empty() ? "" : "; ") + what;
}

// The container a process manager or runtime announced, or left a mark of.
void detectContainer(Isolation& result) {
  std::string announced = trimmed(readFile("/run/systemd/container"));
  if (!announced.empty()) {
    result.container = announced;
    addEvidence(result, "/run/systemd/container says " + announced);
    return;
  }
  std::istringstream environ(readFile("/proc/1/environ"));
  std::string entry;
  while (std::getline(environ, entry, '\0')) {
    if (startsWith(entry, "container=") && entry.size() > 10) {
      result.container = entry.substr(10);
      addEvidence(result, "/proc/1/environ has " + entry);
      return;
    }
  }
  const std::pair<const char*, const char*> marks[] = {{"/run/.containerenv", "podman"},
                                                       {"/.dockerenv", "docker"}};
  for (const auto& [path, technology] : marks) {
    if (exists(path)) {
      result.container = technology;
      addEvidence(result, std::string(path) + " exists");
      return;
    }
  }
  std::string cgroup = readFile("/proc/1/cgroup");
  const std::pair<const char*, const char*> groups[] = {
      {"/docker", "docker"}, {"/lxc", "lxc"}, {"kubepods", "container-other"}};
  for (const auto& [part, technology] : groups) {
    if (cgroup.find(part) != std::string::npos) {
      result.container = technology;
      addEvidence(result, fmt::format("/proc/1/cgroup mentions {}", part));
      return;
    }
  }
  std::string osrelease = readFile("/proc/sys/kernel/osrelease");
  if (osrelease.find("icrosoft") != std::string::npos) {
    result.container = "wsl";
    addEvidence(result, "kernel release names Microsoft (WSL)");
  }
}

std::string cpuidSignature(bool& hypervisorBit) {
  hypervisorBit = false;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return "";
  hypervisorBit = (ecx & (1u << 31)) != 0;
  if (!hypervisorBit) return "";
  __cpuid(0x40000000, eax, ebx, ecx, edx);
  char signature[13] = {};
  std::memcpy(signature, &ebx, 4);
  std::memcpy(signature + 4, &ecx, 4);
  std::memcpy(signature + 8, &edx, 4);
  return signature;
#else
  return "";
#endif
}

// systemd's order: DMI first for hypervisors that cloak as KVM or Hyper-V
// (VirtualBox, Xen, EC2, Parallels), then CPUID, then DMI, then the rest.
void detectVm(Isolation& result) {
  std::string dmi, dmiFile;
  for (const char* file :
       {"product_name", "sys_vendor", "board_vendor", "bios_vendor", "product_version"}) {
    std::string path = std::string("/sys/class/dmi/id/") + file;
    dmi = vmFromDmi(trimmed(readFile(path)));
    if (!dmi.empty()) {
      dmiFile = path;
      break;
    }
  }
  bool cloaking = dmi == "oracle" || dmi == "xen" || dmi == "amazon" || dmi == "parallels";
  bool hypervisorBit = false;
  std::string signature = cpuidSignature(hypervisorBit);
  std::string fromCpuid = vmFromCpuidSignature(signature);
  if (!cloaking && !fromCpuid.empty()) {
    result.vm = fromCpuid;
    addEvidence(result, fmt::format("CPUID hypervisor signature \"{}\"", signature));
  } else if (!dmi.empty()) {
    result.vm = dmi;
    addEvidence(result, fmt::format("{} names {}", dmiFile, dmi));
  } else if (trimmed(readFile("/sys/hypervisor/type")) == "xen") {
    result.vm = "xen";
    addEvidence(result, "/sys/hypervisor/type is xen");
  } else if (hypervisorBit) {
    result.vm = "vm-other";
    addEvidence(result, fmt::format("CPUID hypervisor bit set (signature \"{}\")", signature));
  } else if (readFile("/proc/cpuinfo").find(" hypervisor") != std::string::npos) {
    result.vm = "vm-other";
    addEvidence(result, "/proc/cpuinfo has the hypervisor flag");
  }
}

bool hasRootMount(const std::string& mountinfo) {
  std::istringstream in(mountinfo);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, mountPoint;
    if (fields >> id >> parent >> device >> root >> mountPoint && mountPoint == "/") return true;
  }
  return false;
}

// pid 1's root differs from ours in a chroot. Reading /proc/1/root needs
// privileges; without them a chroot shows no "/" mount point, because the
// kernel hides mounts outside our root from mountinfo.
void detectChroot(Isolation& result) {
  struct stat ours {
  }, init{};
  if (::stat("/", &ours) == 0 && ::stat("/proc/1/root", &init) == 0) {
    if (ours.st_dev != init.st_dev || ours.st_ino != init.st_ino) {
      result.chroot = true;
      addEvidence(result, "/ is not /proc/1/root");
    }
    return;
  }
  if (!exists("/proc/self")) {
    result.chroot = true;
    addEvidence(result, "/proc is not mounted");
    return;
  }
  std::string mountinfo = readFile("/proc/self/mountinfo");
  if (!mountinfo.empty() && !hasRootMount(mountinfo)) {
    result.chroot = true;
    addEvidence(result, "no mount at / in /proc/self/mountinfo");
  }
}

// One systemd-detect-virt answer: its output ("none" when it says so).
std::string askSystemd(const char* option, Clock::time_point deadline, bool& ok) {
  ProcessResult r = runProcess("systemd-detect-virt", {option}, deadline);
  ok = ok && r.started && !r.timed_out;
  std::string answer = trimmed(r.out);
  return answer.empty() ? "none" : answer;
}

}  // namespace

Isolation isolationFromEvidence() {
  Isolation result;
  detectContainer(result);
  detectVm(result);
  detectChroot(result);
  if (result.evidence.empty()) result.evidence = "no container, hypervisor or chroot marks";
  classifyIsolation(result);
  return result;
}

namespace {

struct Asked {
  Isolation isolation;
  bool complete = true;  // false: systemd-detect-virt did not answer in time
};

Asked askSystemdDetectVirt(Clock::time_point deadline) {
  if (findOnPath("systemd-detect-virt").empty()) return {isolationFromEvidence()};
  Isolation result;
  bool ok = true;
  result.container = askSystemd("--container", deadline, ok);
  result.vm = askSystemd("--vm", deadline, ok);
  if (!ok) {
    Isolation fallback = isolationFromEvidence();
    addEvidence(fallback, "systemd-detect-virt did not answer in time");
    return {fallback, false};
  }
  result.evidence =
      fmt::format("systemd-detect-virt: container {}, vm {}", result.container, result.vm);
  // --chroot answers by exit status only, and needs to read /proc/1/root:
  // our own check also covers the unprivileged case.
  ProcessResult chroot = runProcess("systemd-detect-virt", {"--chroot"}, deadline);
  if (chroot.started && !chroot.timed_out && chroot.exit_code == 0) {
    result.chroot = true;
    addEvidence(result, "systemd-detect-virt --chroot");
  } else {
    detectChroot(result);
  }
  classifyIsolation(result);
  return {result};
}

// Which systemd-detect-virt answers, and for which root: a chroot changes both.
using IsolationKey = std::tuple<std::string, dev_t, ino_t>;

IsolationKey isolationKey() {
  struct stat root {};
  ::stat("/", &root);
  return {findOnPath("systemd-detect-virt"), root.st_dev, root.st_ino};
}

}  // namespace

// The virtualization check and the report's host facts both ask; three
// systemd-detect-virt processes per asker were a tenth of a run's processes.
Isolation detectIsolation(Clock::time_point deadline) {
  static OnceCache<IsolationKey, Asked> cache;
  std::optional<Asked> asked = cache.get(isolationKey(), deadline, askSystemdDetectVirt,
                                         [](const Asked& a) { return a.complete; });
  if (asked) return asked->isolation;
  Isolation fallback = isolationFromEvidence();
  addEvidence(fallback, "systemd-detect-virt did not answer in time");
  return fallback;
}

}  // namespace bbcheck
