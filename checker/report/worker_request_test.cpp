#include "checker/report/worker_request.h"

#include <gtest/gtest.h>

namespace bbcheck {
namespace {

HostFacts host() {
  HostFacts h;
  h.arch = "x86_64";
  h.os = "Debian GNU/Linux";
  h.os_version = "12";
  h.os_codename = "bookworm";
  h.cpus = 4;
  h.memory_bytes = 8LL << 30;
  h.uid = 1000;
  h.virtualization = "kvm";
  h.compilers = {{"gcc", "c", "/usr/bin/gcc", "12.2.0", "x86_64-linux-gnu"},
                 {"gcc", "c++", "/usr/bin/g++", "12.2.0", "x86_64-linux-gnu"},
                 {"clang", "c", "/usr/bin/clang", "14.0.6", "x86_64-pc-linux-gnu"}};
  return h;
}

TEST(WorkerRequest, FillsTheFormsMachineFields) {
  WorkerRequest r = workerRequest(host());
  EXPECT_EQ(r.architecture, "amd64");
  EXPECT_EQ(r.operating_system, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(r.special,
            "4 CPUs; 8.0 GiB RAM (enough RAM for some bigmem tests (regrtest -M)); gcc 12.2.0; "
            "clang 14.0.6; runs in kvm; runs as an unprivileged user (not root)");
}

TEST(WorkerRequest, SaysWhatChangesScheduling) {
  HostFacts h = host();
  h.arch = "aarch64";
  h.memory_bytes = 1LL << 30;
  h.uid = 0;
  h.virtualization = "none";
  h.compilers.clear();
  WorkerRequest r = workerRequest(h);
  EXPECT_EQ(r.architecture, "arm64");
  h.arch = "ppc64le";
  EXPECT_EQ(workerRequest(h).architecture, "ppc64le");
  h.arch = "aarch64";
  EXPECT_EQ(r.special,
            "4 CPUs; 1.0 GiB RAM (too little RAM for bigmem tests); runs on bare metal (no VM or "
            "container found); runs as root");
}

TEST(WorkerRequest, UsesTheCgroupFiguresNotTheHosts) {
  // A CI container: --cpus 0.5 --memory 300m on a 64 GiB, 16-CPU host.
  HostFacts h = host();
  h.host_cpus = 16;
  h.cpus = 1;
  h.cpu_quota = 0.5;
  h.cpu_limited_by = "cgroup cpu.max = 50000 100000 in /ci";
  h.host_memory_bytes = 64LL << 30;
  h.memory_bytes = 300LL << 20;
  h.memory_limited_by = "cgroup memory.max = 314572800 in /ci";
  h.compilers.clear();
  WorkerRequest r = workerRequest(h);
  EXPECT_EQ(r.special,
            "0.5 CPU (cgroup CPU quota; the host has 16 CPUs); 300.0 MiB RAM usable (cgroup memory "
            "limit; the host has 64.0 GiB) (too little RAM for bigmem tests); runs in kvm; "
            "runs as an unprivileged user (not root)");
}

TEST(WorkerRequest, OneCpuIsSingular) {
  HostFacts h = host();
  h.cpus = 1;
  h.compilers.clear();
  EXPECT_EQ(workerRequest(h).special.substr(0, 7), "1 CPU; ");
}

}  // namespace
}  // namespace bbcheck
