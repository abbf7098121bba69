// Elsewhere than Linux the kernel's NTP state is not read yet (adjtimex is
// Linux's): the state is unreadable, and the clock probe says it is not
// supported here (probes/builtin/).
#include "probes/environment/clock.h"
#include "probes/registry.h"

namespace bbcheck {

ClockState readClockState() {
  ClockState state;
  state.error = kNotSupportedHere;
  return state;
}

}  // namespace bbcheck
