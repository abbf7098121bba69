// A platform with no port yet: the kinds that need Linux's code skip.
#include <utility>

#include "probes/builtin/platform_probes.h"
#include "probes/registry.h"

namespace bbcheck {

ProbeKind linuxOnly(ProbeKind kind) {
  return notSupportedHere(std::move(kind));
}

}  // namespace bbcheck
