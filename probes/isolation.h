// Is this machine isolated from what it runs (a VM, a container, a
// chroot)? Shared by the virtualization probe (system family), the report's
// host facts, and checks whose fix depends on it: in a container the clock
// is the host's (env.clock). Linux's detection: isolation_linux.cpp.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

struct Isolation {
  std::string kind = "none";        // "container", "vm", "chroot" or "none"
  std::string technology = "none";  // of that kind: "docker", "kvm", "chroot"
  std::string vm = "none";          // systemd-detect-virt's names: "kvm", "vmware", ...
  std::string container = "none";   // "docker", "podman", "lxc", "wsl", ...
  bool chroot = false;
  std::string evidence;  // what it was concluded from
};

// systemd-detect-virt (--container, --vm, --chroot) when installed, else
// isolationFromEvidence().
Isolation detectIsolation(Clock::time_point deadline);

// The same from the files and CPU: /run/systemd/container, /proc/1/environ,
// /.dockerenv, /run/.containerenv, /proc/1/cgroup; DMI vendor strings, the
// CPUID hypervisor signature, /sys/hypervisor, the cpuinfo hypervisor flag;
// / against /proc/1/root (or a missing "/" in /proc/self/mountinfo).
Isolation isolationFromEvidence();

// systemd's name for a DMI vendor/product string ("QEMU" -> "qemu",
// "innotek GmbH" -> "oracle"); "" when it is not a hypervisor's.
std::string vmFromDmi(const std::string& text);

// systemd's name for a CPUID leaf 0x40000000 signature ("KVMKVMKVM" -> "kvm").
std::string vmFromCpuidSignature(const std::string& signature);

// Sets kind and technology: the container's, else the VM's, else "chroot",
// else leaves "none".
void classifyIsolation(Isolation& result);

}  // namespace bbcheck
