#include "probes/isolation.h"

#include <utility>

#include "probes/text.h"

namespace bbcheck {

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

}  // namespace bbcheck
