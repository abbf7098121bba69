// The farm-side sub-commands, each in its own file (command_*.cpp); cli.cpp
// parses their options and dispatches to them.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "checker/profile/profile_loader.h"
#include "checker/report/report_formats.h"

namespace bbcheck {

// bbcheck show REPORT.json: re-renders a received report in `format`,
// re-judged under `failOn` when given (else under the report's own).
int showCommand(const std::string& path, const ReportFormat& format, std::optional<Severity> failOn,
                const TextStyle& style, std::ostream& out);

// bbcheck diff OLD.json NEW.json: 1 when a check regressed, else 0.
int diffCommand(const std::string& oldPath, const std::string& newPath, std::ostream& out);

// What changed from `before` to `after`, as text; sets `regressed` when a
// check that passed no longer does.
std::string diffReports(const RunReport& before, const RunReport& after, bool& regressed);

// bbcheck request: after the host-stage run's report, the farm's form
// prefilled, the same answers as text, and the admins' entry. The profile
// must name its form (Profile::onboarding).
void printRequest(const RunReport& report, std::ostream& out);

// Fills report.worker_request from the profile's form, when it names one,
// so that the JSON report carries the same answers as `bbcheck request`.
void attachWorkerRequest(RunReport& report);

// bbcheck list: a profile's checks (with -v its vars, why, fix and needs).
int listCommand(const std::vector<std::string>& profiles, const std::vector<std::string>& sets,
                const LoadOptions& options, bool verbose);

// bbcheck validate FILE...: 0 when every file is a valid profile, else 2. An
// unset ${env:X} is a warning here, not an error.
int validateCommand(const std::vector<std::string>& files, const LoadOptions& base);

// bbcheck probes: every probe kind with its parameters.
int probesCommand();

// bbcheck help [COMMAND].
int helpCommand(CLI::App& app, const std::string& topic);

// The default profile's vars, for the end of run's and list's --help.
std::string varsFooter();

}  // namespace bbcheck
