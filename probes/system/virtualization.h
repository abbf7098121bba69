// The `virtualization` probe and the report's host.virtualization: is this
// machine isolated from what it runs (a VM, a container, a chroot)? Build
// code from a farm is untrusted; the CPython farm asks for a VM by default.
#pragma once

#include <string>

#include "probes/isolation.h"  // Isolation, detectIsolation
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "virtualization": the host is a VM, container or chroot.
ProbeKind virtualizationProbe();

// The technology for the report: the container's, else the VM's, else
// "chroot", else "none".
std::string detectVirtualization(Clock::time_point deadline);

}  // namespace bbcheck
