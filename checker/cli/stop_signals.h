// SIGINT, SIGTERM and SIGHUP all end a run the same way: the scheduler
// notices the flag, the programs probes started are killed, probes get a
// moment to remove their scratch files, and the reports are written with the
// unfinished checks skipped; the exit code is 128 + the first signal. A third
// signal means "now": the programs are stopped and bbcheck leaves at once.
#pragma once

#include <atomic>

namespace bbcheck {

// Installs the handlers (from then on until bbcheck exits).
void handleStopSignals();

// Set by the first stop signal; the scheduler polls it.
std::atomic<bool>& stopRequested();

// The first stop signal received, or 0.
int firstStopSignal();

}  // namespace bbcheck
