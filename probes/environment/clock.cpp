#include "probes/environment/clock.h"

#include <fmt/format.h>

#include "probes/isolation.h"
#include "probes/param_binding.h"

namespace bbcheck {

std::string clockFix(const Isolation& isolation) {
  if (isolation.container != "none")
    return fmt::format(
        "This is a {} container: its clock is the host's kernel clock, which nothing in the "
        "container can set (timedatectl and NTP daemons in here cannot discipline it). "
        "Synchronise the host's clock: run an NTP client (chrony or systemd-timesyncd) on the "
        "host that runs the container.",
        isolation.container);
  return "Run an NTP client: `apt-get install systemd-timesyncd` (or chrony) and `timedatectl "
         "set-ntp true`.";
}

namespace {

Outcome runClock(const NoParams&, const ProbeContext& ctx) {
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
  if (s.unsynchronised) {
    Isolation isolation = detectIsolation(ctx.deadline);
    bool container = isolation.container != "none";
    observed["container"] = isolation.container;
    Outcome out = Outcome::fail(
        fmt::format("the kernel says the clock is not synchronised (adjtimex state {}, "
                    "STA_UNSYNC {}): no NTP daemon is disciplining it{}",
                    s.state, s.unsync_bit ? "set" : "clear",
                    container ? fmt::format(" (in a {} container the clock is the host's)",
                                            isolation.container)
                              : ""),
        observed, expected);
    out.fix = clockFix(isolation);
    return out;
  }
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
