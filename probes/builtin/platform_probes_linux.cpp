// Linux: every kind has its implementation.
#include "probes/builtin/platform_probes.h"

namespace bbcheck {

ProbeKind linuxOnly(ProbeKind kind) {
  return kind;
}

}  // namespace bbcheck
