// Needs root: a real chroot in a private mount namespace.
#include "probes/system/virtualization.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "probes/process.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::ScopedEnv;
using testing::TempDir;

Clock::time_point soon() {
  return Clock::now() + std::chrono::seconds(10);
}

std::string systemdSays(const std::string& option) {
  auto r = testing::runCommand("systemd-detect-virt", {option});
  std::string out = r.out.substr(0, r.out.find('\n'));
  return out.empty() ? "none" : out;
}

std::string readTrimmed(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Both ways of detecting agree with systemd-detect-virt when it is installed;
// without it, the evidence is checked against what the test reads itself.
TEST(VirtualizationProbe, AgreesWithSystemdDetectVirt) {
  Isolation detected = detectIsolation(soon());
  Isolation evidence = isolationFromEvidence();
  if (!findOnPath("systemd-detect-virt").empty()) {
    std::string container = systemdSays("--container"), vm = systemdSays("--vm");
    EXPECT_EQ(detected.container, container);
    EXPECT_EQ(detected.vm, vm);
    EXPECT_EQ(evidence.container, container) << evidence.evidence;
    EXPECT_EQ(evidence.vm, vm) << evidence.evidence;
  } else {
    std::string dmi = vmFromDmi(readTrimmed("/sys/class/dmi/id/sys_vendor"));
    if (!dmi.empty()) {
      EXPECT_EQ(evidence.vm, dmi) << evidence.evidence;
    }
    struct stat st {};
    if (::stat("/.dockerenv", &st) == 0) {
      EXPECT_EQ(evidence.container, "docker");
    }
    EXPECT_EQ(detected.container, evidence.container);
    EXPECT_EQ(detected.vm, evidence.vm);
  }
}

TEST(VirtualizationProbe, OutcomeFollowsTheDetection) {
  Isolation iso = detectIsolation(soon());
  ProbeContext ctx;
  ctx.deadline = soon();
  Outcome o = virtualizationProbe().run(Params(), ctx);
  EXPECT_EQ(o.observed["kind"].toString(), iso.kind);
  EXPECT_EQ(o.observed["technology"].toString(), iso.technology);
  EXPECT_EQ(detectVirtualization(soon()), iso.technology);
  if (iso.kind == "none") {
    EXPECT_EQ(o.status, Status::Fail);
    EXPECT_NE(o.message.find("run the worker in a VM"), std::string::npos) << o.message;
  } else {
    EXPECT_EQ(o.status, Status::Pass) << o.message;
    EXPECT_NE(o.message.find(iso.technology), std::string::npos) << o.message;
  }
  // The innermost layer names the machine: a container before its VM.
  std::string innermost = iso.container != "none" ? "container"
                          : iso.vm != "none"      ? "vm"
                          : iso.chroot            ? "chroot"
                                                  : "none";
  EXPECT_EQ(iso.kind, innermost);
}

// A real chroot: a forked child enters a private mount namespace, mounts
// /proc in an empty directory and chroots there. systemd-detect-virt is not
// inside, so the evidence path answers.
TEST(VirtualizationProbe, DetectsARealChroot) {
  ASSERT_EQ(::geteuid(), 0u) << "this test needs root (chroot, mount)";
  EXPECT_FALSE(isolationFromEvidence().chroot) << "the test itself runs in a chroot?";
  TempDir root;
  std::string proc = root.path() + "/proc";
  ASSERT_EQ(::mkdir(proc.c_str(), 0755), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::unshare(CLONE_NEWNS) != 0) ::_exit(10);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(11);
    if (::mount("proc", proc.c_str(), "proc", 0, nullptr) != 0) ::_exit(12);
    if (::chroot(root.path().c_str()) != 0 || ::chdir("/") != 0) ::_exit(13);
    Isolation iso = detectIsolation(Clock::now() + std::chrono::seconds(5));
    ::_exit(iso.chroot ? 0 : 1);
  }
  int status = 0;
  auto give_up = Clock::now() + std::chrono::seconds(20);
  while (::waitpid(child, &status, WNOHANG) == 0) {
    if (Clock::now() > give_up) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      FAIL() << "the chrooted child did not finish";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: not detected; 10-13: set-up step failed";
}

// A systemd-detect-virt that says "kvm" and writes each question it gets
// to `calls`; put first on PATH. While the file `slow` exists it takes 2 s.
struct CountingDetectVirt {
  TempDir dir;
  std::string calls = dir.path() + "/calls";
  std::string slow = dir.path() + "/slow";
  std::string script = dir.write("systemd-detect-virt",
                                 "#!/bin/sh\necho \"$1\" >> " + calls + "\n[ -e " + slow +
                                     " ] && sleep 2\ncase \"$1\" in\n  --vm) echo kvm ;;\n"
                                     "  --container) echo none; exit 1 ;;\n  *) exit 1 ;;\nesac\n");
  bool made = ::chmod(script.c_str(), 0755) == 0;
  ScopedEnv path{"PATH", dir.path() + ":" + std::getenv("PATH")};

  std::vector<std::string> asked() const {
    std::ifstream in(calls);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
};

TEST(VirtualizationProbe, ConcurrentAskersShareOneAnswer) {
  CountingDetectVirt fake;
  ASSERT_TRUE(fake.made);
  std::vector<std::string> vms(4);
  std::vector<std::thread> askers;
  for (auto& vm : vms) askers.emplace_back([&vm] { vm = detectIsolation(soon()).vm; });
  for (auto& t : askers) t.join();
  ProbeContext ctx;
  ctx.deadline = soon();
  Outcome o = virtualizationProbe().run(Params(), ctx);
  for (const auto& vm : vms) EXPECT_EQ(vm, "kvm");
  EXPECT_EQ(o.observed["vm"].toString(), "kvm") << o.message;
  EXPECT_EQ(detectVirtualization(soon()), "kvm");
  EXPECT_EQ(fake.asked(), (std::vector<std::string>{"--container", "--vm", "--chroot"}));
}

TEST(VirtualizationProbe, AnAnswerCutShortIsAskedAgain) {
  CountingDetectVirt fake;
  ASSERT_TRUE(fake.made);
  std::ofstream(fake.slow).put('\n');
  Isolation late = detectIsolation(Clock::now() + std::chrono::milliseconds(300));
  EXPECT_NE(late.evidence.find("did not answer in time"), std::string::npos) << late.evidence;
  ::unlink(fake.slow.c_str());
  Isolation answered = detectIsolation(soon());
  EXPECT_EQ(answered.vm, "kvm") << answered.evidence;
  EXPECT_EQ(answered.evidence.find("did not answer"), std::string::npos) << answered.evidence;
}

TEST(VirtualizationProbe, KnowsSystemdsNames) {
  EXPECT_EQ(vmFromDmi("QEMU"), "qemu");
  EXPECT_EQ(vmFromDmi("innotek GmbH"), "oracle");
  EXPECT_EQ(vmFromDmi("VMware, Inc."), "vmware");
  EXPECT_EQ(vmFromDmi("Dell Inc."), "");
  EXPECT_EQ(vmFromCpuidSignature("KVMKVMKVM"), "kvm");
  EXPECT_EQ(vmFromCpuidSignature("Microsoft Hv"), "microsoft");
  EXPECT_EQ(vmFromCpuidSignature("GenuineIntel"), "");
}

}  // namespace
}  // namespace bbcheck
