#include "probes/system/virtualization.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "probes/param_binding.h"
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

// detectIsolation() and the rest of the detection: probes/isolation.h.

std::string detectVirtualization(Clock::time_point deadline) {
  return detectIsolation(deadline).technology;
}

ProbeKind virtualizationProbe() {
  return probeKind("virtualization",
                   "the host is a VM, container or chroot (isolated from the build code)", {},
                   runVirtualization);
}

}  // namespace bbcheck
