#include "probes/environment/clock.h"

#include <fmt/format.h>

#include "probes/param_binding.h"

namespace bbcheck {
namespace {

Outcome runClock(const NoParams&, const ProbeContext&) {
  ClockState s = readClockState();
  if (!s.readable) return Outcome::error("cannot read the kernel's clock state: " + s.error);
  Object observed;
  observed["synchronised"] = !s.unsynchronised;
  observed["state"] = s.state;
  observed["status"] = s.status;
  observed["max_error_us"] = s.max_error_us;
  observed["est_error_us"] = s.est_error_us;
  Object expected;
  expected["synchronised"] = true;
  if (s.unsynchronised)
    return Outcome::fail(
        fmt::format("the kernel says the clock is not synchronised (adjtimex state {}, "
                    "STA_UNSYNC {}): no NTP daemon is disciplining it",
                    s.state, s.unsync_bit ? "set" : "clear"),
        observed, expected);
  return Outcome::pass(
      fmt::format("the clock is synchronised (maximum error {} ms)", s.max_error_us / 1000),
      observed, expected);
}

}  // namespace

ProbeKind clockProbe() {
  return probeKind("clock",
                   "the kernel considers the system clock synchronised (adjtimex: no STA_UNSYNC)",
                   {}, runClock);
}

}  // namespace bbcheck
