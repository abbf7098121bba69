#include "checker/worker_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "probes/human.h"
#include "probes/system/cgroup.h"

namespace bbcheck {
namespace {

// uname -m -> the Debian-style names the form's example uses ("amd64").
std::string architectureName(const std::string& machine) {
  static const std::map<std::string, std::string> names = {
      {"x86_64", "amd64"},    {"aarch64", "arm64"}, {"armv7l", "armhf"},
      {"armv6l", "armel"},    {"i686", "i386"},     {"i386", "i386"},
      {"ppc64le", "ppc64el"}, {"s390x", "s390x"},   {"riscv64", "riscv64"}};
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
  request.operating_system = host.os + (host.os_version.empty() ? "" : " " + host.os_version);
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
  if (host.uid == 0) facts.push_back("runs as root");
  request.special = fmt::format("{}", fmt::join(facts, "; "));
  return request;
}

}  // namespace bbcheck
