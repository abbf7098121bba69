// Linux: adjtimex(2) with modes = 0 only reads the kernel's NTP state.
#include <sys/timex.h>

#include <cerrno>

#include "probes/environment/clock.h"
#include "probes/net_errors.h"

namespace bbcheck {

ClockState readClockState() {
  ClockState s;
  timex tx{};
  tx.modes = 0;
  int state = ::adjtimex(&tx);
  if (state < 0) {
    s.error = "adjtimex: " + errnoText(errno);
    return s;
  }
  s.readable = true;
  s.state = state;
  s.status = tx.status;
  s.unsync_bit = (tx.status & STA_UNSYNC) != 0;
  s.unsynchronised = s.unsync_bit || state == TIME_ERROR;
  s.max_error_us = tx.maxerror;
  s.est_error_us = tx.esterror;
  return s;
}

}  // namespace bbcheck
