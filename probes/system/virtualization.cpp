#include "probes/system/virtualization.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "probes/param_binding.h"
#include "probes/system/isolation_kind.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

Outcome runVirtualization(const NoParams&, const ProbeContext& ctx) {
  Isolation iso = detectIsolation(ctx.deadline);
  Object observed;
  observed["kind"] = iso.kind;
  observed["technology"] = iso.technology;
  observed["vm"] = iso.vm;
  observed["container"] = iso.container;
  observed["chroot"] = iso.chroot;
  observed["evidence"] = iso.evidence;
  Object expected;
  expected["kind"] = Array{"vm", "container", "chroot"};
  if (iso.kind == "none") {
    return Outcome::fail(
        fmt::format("no VM, container or chroot detected ({}): build code would run directly on "
                    "this host; run the worker in a VM (or at least a container, jail or chroot) "
                    "away from valuable resources, and know that root even inside a VM can spoof "
                    "packets and change MAC addresses",
                    iso.evidence),
        observed, expected);
  }
  std::vector<std::string> layers;
  if (iso.container != "none") layers.push_back("a " + iso.container + " container");
  if (iso.chroot) layers.push_back("a chroot");
  if (iso.vm != "none") layers.push_back("a " + iso.vm + " virtual machine");
  std::string where;
  for (const auto& layer : layers) where += (where.empty() ? "" : " inside ") + layer;
  return Outcome::pass(fmt::format("runs in {} ({})", where, iso.evidence), observed, expected);
}

}  // namespace

std::string vmFromDmi(const std::string& text) {
  // systemd's table (src/basic/virt.c), matched as prefixes like systemd does.
  static const std::pair<const char*, const char*> vendors[] = {
      {"KVM", "kvm"},
      {"OpenStack", "kvm"},
      {"KubeVirt", "kvm"},
      {"Amazon EC2", "amazon"},
      {"QEMU", "qemu"},
      {"VMware", "vmware"},
      {"VMW", "vmware"},
      {"innotek GmbH", "oracle"},
      {"VirtualBox", "oracle"},
      {"Xen", "xen"},
      {"Bochs", "bochs"},
      {"Parallels", "parallels"},
      {"BHYVE", "bhyve"},
      {"Hyper-V", "microsoft"},
      {"Apple Virtualization", "apple"},
      {"Google Compute Engine", "google"}};
  for (const auto& [prefix, name] : vendors)
    if (startsWith(text, prefix)) return name;
  if (text == "Virtual Machine") return "microsoft";  // Hyper-V's product_name
  return "";
}

std::string vmFromCpuidSignature(const std::string& signature) {
  static const std::pair<const char*, const char*> signatures[] = {
      {"XenVMMXenVMM", "xen"},   {"KVMKVMKVM", "kvm"},       {"Linux KVM Hv", "kvm"},
      {"TCGTCGTCGTCG", "qemu"},  {"VMwareVMware", "vmware"}, {"Microsoft Hv", "microsoft"},
      {"bhyve bhyve ", "bhyve"}, {"QNXQVMBSQG", "qnx"},      {"ACRNACRNACRN", "acrn"},
      {"SRESRESRESRE", "sre"},   {"Apple VZ", "apple"}};
  for (const auto& [known, name] : signatures)
    if (signature == known) return name;
  return "";
}

// The innermost layer names the machine: a container before the VM it runs
// in, a chroot only when there is nothing else.
void classifyIsolation(Isolation& result) {
  if (result.container != "none") {
    result.kind = "container";
    result.technology = result.container;
  } else if (result.vm != "none") {
    result.kind = "vm";
    result.technology = result.vm;
  } else if (result.chroot) {
    result.kind = result.technology = "chroot";
  }
}

// detectIsolation() and isolationFromEvidence() read the machine:
// virtualization_linux.cpp.

std::string detectVirtualization(Clock::time_point deadline) {
  return detectIsolation(deadline).technology;
}

ProbeKind virtualizationProbe() {
  return probeKind("virtualization",
                   "the host is a VM, container or chroot (isolated from the build code)", {},
                   runVirtualization);
}

}  // namespace bbcheck
