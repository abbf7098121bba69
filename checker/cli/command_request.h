// bbcheck request: after a host-stage run, the farm's "new worker" request,
// prefilled from what the run found. Nothing is sent: the volunteer opens
// the URL (or pastes the text) and submits it.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

#include "checker/cli/command_table.h"
#include "checker/report/run_report.h"

namespace bbcheck {

// run's options without --format and --stage; the run is the host stage's.
CommandRunner defineRequestCommand(CLI::App& command);

// After the host-stage run's report, the farm's form prefilled, the same
// answers as text, and the admins' entry. The profile must name its form
// (Profile::onboarding).
void printRequest(const RunReport& report, std::ostream& out);

// Fills report.worker_request from the profile's form, when it names one,
// so that the JSON report carries the same answers as `bbcheck request`.
void attachWorkerRequest(RunReport& report);

}  // namespace bbcheck
