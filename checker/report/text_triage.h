// What the at-a-glance text report says, sorted out of a run's results
// before any of it is printed: the groups where everything passed, the
// problems to fix (each once, most severe first, then in profile order)
// with the checks each one kept from running, the info notes, the checks
// that wait for the worker stage and the re-runs in the worker's service
// environment that agree. Works on a SafeReport's results; linear in them
// (a received report may be hostile: needs that loop or name nothing).
#pragma once

#include <string>
#include <vector>

#include "checker/report/run_report.h"

namespace bbcheck {

// A group (an id's first segment) whose checks that ran all passed.
struct PassingGroup {
  std::string name;
  std::string facts;  // "gcc 12.2.0, make, pkg-config, gdb"
};

// A check that failed or could not decide, and the checks blocked by it,
// directly or through other blocked checks.
struct Problem {
  const CheckResult* result = nullptr;
  std::vector<const CheckResult*> blocked;
};

// Blocked checks whose cause is not among the problems (a need that was
// skipped, left out by --only, or absent from a received report), by message.
struct BlockedElsewhere {
  std::string message;
  std::vector<const CheckResult*> blocked;
};

// Checks skipped until the worker stage, with the same message (the next step).
struct WorkerStageWait {
  std::string message;
  int checks = 0;
  int reruns = 0;  // their re-runs in the worker's service environment
};

// The re-runs of the checks in the worker's service environment.
struct ServiceReruns {
  const CheckResult* environment = nullptr;  // the check that reads that environment
  int agreeing = 0;                          // passed there too
  int total = 0;                             // that ran there (passed, failed or errors)
};

struct TextTriage {
  std::vector<PassingGroup> passing;
  std::vector<Problem> problems;  // most severe first, then in profile order
  std::vector<BlockedElsewhere> blocked_elsewhere;
  std::vector<const CheckResult*> notes;  // info checks that did not pass: never failures
  std::vector<WorkerStageWait> waits;
  std::vector<ServiceReruns> reruns;
};

TextTriage triage(const RunReport& report);

// Whether `result` is an info note: it did not pass but is below --fail-on
// and only informs (severity info).
bool isInfoNote(const CheckResult& result, Severity failOn);

// The gist of a passing check's message: "gcc 12.2.0 (x86_64-linux-gnu)
// compiles and links C" -> "gcc 12.2.0", "make found at /usr/bin/make" ->
// "make".
std::string factOf(const std::string& message);

}  // namespace bbcheck
