// Stop signals during a run (see stop_signals.h).
#include "checker/cli/stop_signals.h"

#include <signal.h>
#include <unistd.h>

#include "checker/cli/exit_codes.h"
#include "probes/process.h"

namespace bbcheck {
namespace {

// The event the handler raises: made before the handler is installed.
std::atomic<StopEvent*> gStopEvent{nullptr};
std::atomic<int> gSignalCount{0};

extern "C" void onStopSignal(int signal) {
  StopEvent* event = gStopEvent.load();
  if (!event) return;
  event->raise(signal);
  if (gSignalCount.fetch_add(1) + 1 >= 3) {
    killRunningProcessesFromSignal();
    ::_exit(interruptedExitCode(event->signal()));
  }
}

}  // namespace

void handleStopSignals() {
  gStopEvent = &stopRequested();
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

StopEvent& stopRequested() {
  static StopEvent event;
  return event;
}

int firstStopSignal() {
  StopEvent* event = gStopEvent.load();
  return event ? event->signal() : 0;
}

}  // namespace bbcheck
