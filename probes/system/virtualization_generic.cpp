// Elsewhere than Linux isolation is not detected yet: the report says
// "none" with why, and the virtualization probe says it is not supported
// here (probes/builtin/).
#include "probes/registry.h"
#include "probes/system/virtualization.h"

namespace bbcheck {

Isolation isolationFromEvidence() {
  Isolation result;
  result.evidence = kNotSupportedHere;
  return result;
}

Isolation detectIsolation(Clock::time_point) {
  return isolationFromEvidence();
}

}  // namespace bbcheck
