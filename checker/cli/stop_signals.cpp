// Stop signals during a run (see stop_signals.h).
#include "checker/cli/stop_signals.h"

#include <signal.h>
#include <unistd.h>

#include "checker/cli/exit_codes.h"
#include "probes/process.h"

namespace bbcheck {
namespace {

std::atomic<bool> gInterrupted{false};
std::atomic<int> gFirstSignal{0};
std::atomic<int> gSignalCount{0};

extern "C" void onStopSignal(int signal) {
  int none = 0;
  gFirstSignal.compare_exchange_strong(none, signal);
  gInterrupted = true;
  if (gSignalCount.fetch_add(1) + 1 >= 3) {
    killRunningProcessesFromSignal();
    ::_exit(interruptedExitCode(gFirstSignal.load()));
  }
}

}  // namespace

void handleStopSignals() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

std::atomic<bool>& stopRequested() {
  return gInterrupted;
}

int firstStopSignal() {
  return gFirstSignal.load();
}

}  // namespace bbcheck
