// SIGINT, SIGTERM and SIGHUP all end a run the same way: the executor wakes
// on the stop event (checker/run/stop_event.h), the programs probes started are killed, probes get
// a moment to remove their scratch files, and the reports are written with the unfinished checks
// skipped; the exit code is 128 + the first signal. A third signal means "now": the programs are
// stopped and bbcheck leaves at once.
#pragma once

#include "checker/run/stop_event.h"

namespace bbcheck {

// Installs the handlers (from then on until bbcheck exits).
void handleStopSignals();

// Raised by the first stop signal; the executor wakes on it.
StopEvent& stopRequested();

// The first stop signal received, or 0.
int firstStopSignal();

}  // namespace bbcheck
