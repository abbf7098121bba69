#include "checker/report/worker_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "probes/human.h"

namespace bbcheck {
namespace {

// uname -m -> the names the form's example ("amd64") and the farm's worker
// tags use: Debian's for x86 and ARM, the kernel's for ppc64le and s390x.
std::string architectureName(const std::string& machine) {
  static const std::map<std::string, std::string> names = {
      {"x86_64", "amd64"},    {"aarch64", "arm64"}, {"armv7l", "armv7l"},
      {"armv6l", "arm"},      {"i686", "x86"},      {"i386", "x86"},
      {"ppc64le", "ppc64le"}, {"s390x", "s390x"},   {"riscv64", "riscv64"}};
  auto it = names.find(machine);
  return it == names.end() ? machine : it->second;
}

// regrtest -M needs 2.5 GB at least; many bigmem tests want more than 20 GB.
std::string bigmemNote(int64_t memoryBytes) {
  const int64_t gib = 1LL << 30;
  if (memoryBytes >= 24 * gib) return "enough RAM for most bigmem tests";
  if (memoryBytes >= 5 * gib / 2) return "enough RAM for some bigmem tests (regrtest -M)";
  return "too little RAM for bigmem tests";
}

// The same compiler is found under several names (cc, gcc, c++, g++): the
// request names each compiler family and version once.
std::string compilerFamily(const CompilerFact& c) {
  auto has = [](const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
  };
  if (has(c.path, "clang") || has(c.name, "clang")) return "clang";
  if (has(c.path, "gcc") || has(c.path, "g++") || has(c.name, "gcc") || has(c.name, "g++"))
    return "gcc";
  return c.name;
}

}  // namespace

WorkerRequest workerRequest(const HostFacts& host) {
  WorkerRequest request;
  request.architecture = architectureName(host.arch);
  // As os-release's PRETTY_NAME writes it: "Debian GNU/Linux 12 (bookworm)".
  request.operating_system = host.os + (host.os_version.empty() ? "" : " " + host.os_version) +
                             (host.os_codename.empty() ? "" : " (" + host.os_codename + ")");
  std::vector<std::string> facts;
  // The figures a build really gets: a cgroup quota or memory limit, not the
  // host's totals, with the host's named so the admins see both.
  if (host.cpu_quota > 0)
    facts.push_back(fmt::format("{} (cgroup CPU quota; the host has {})", cpusText(host.cpu_quota),
                                cpusText(host.host_cpus)));
  else
    facts.push_back(cpusText(host.cpus));
  std::string ram = fmt::format("{} RAM", humanBytes(host.memory_bytes));
  if (!host.memory_limited_by.empty())
    ram = fmt::format("{} RAM usable (cgroup memory limit; the host has {})",
                      humanBytes(host.memory_bytes), humanBytes(host.host_memory_bytes));
  facts.push_back(fmt::format("{} ({})", ram, bigmemNote(host.memory_bytes)));
  for (const auto& c : host.compilers) {
    std::string text = fmt::format("{} {}", compilerFamily(c), c.version);
    if (std::find(facts.begin(), facts.end(), text) == facts.end()) facts.push_back(text);
  }
  if (host.virtualization == "none")
    facts.push_back("runs on bare metal (no VM or container found)");
  else if (!host.virtualization.empty())
    facts.push_back("runs in " + host.virtualization);
  facts.push_back(host.uid == 0 ? "runs as root" : "runs as an unprivileged user (not root)");
  request.special = fmt::format("{}", fmt::join(facts, "; "));
  return request;
}

}  // namespace bbcheck
