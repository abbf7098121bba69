// Elsewhere than Linux no affinity mask is read yet: every online CPU counts.
#include "probes/system/cpu.h"

namespace bbcheck {

int usableCpuCount() {
  return onlineCpuCount();
}

}  // namespace bbcheck
