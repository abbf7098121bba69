// Whether the kernel considers the system clock synchronised (an NTP
// daemon such as chrony or systemd-timesyncd clears STA_UNSYNC).
#pragma once

#include <cstdint>
#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "clock": the kernel considers the system clock synchronised.
ProbeKind clockProbe();

struct ClockState {
  bool readable = false;
  std::string error;
  bool unsynchronised = true;  // STA_UNSYNC set, or the state is TIME_ERROR
  int state = -1;              // adjtimex's return: TIME_OK (0) .. TIME_ERROR (5)
  int64_t status = 0;          // the STA_* bits
  bool unsync_bit = true;      // STA_UNSYNC among them
  int64_t max_error_us = -1;   // the kernel's maximum error estimate
  int64_t est_error_us = -1;
};

struct Isolation;

// The fix for an unsynchronised clock, fitted to where bbcheck runs: in a
// container the clock is the host's kernel's, so the host synchronises it.
std::string clockFix(const Isolation& isolation);

// Reads the kernel's NTP state without changing it (Linux: adjtimex with
// modes 0; elsewhere: not readable).
ClockState readClockState();

}  // namespace bbcheck
