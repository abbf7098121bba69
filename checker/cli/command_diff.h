// bbcheck diff OLD.json NEW.json: what changed between two reports of a
// worker: checks whose status changed (regressions first, then fixes, other
// changes, new and removed checks), the host's facts, and the verdict.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "checker/cli/command_table.h"
#include "checker/report/run_report.h"

namespace bbcheck {

CommandRunner defineDiffCommand(CLI::App& command);

// 1 when a check regressed, else 0.
int diffCommand(const std::string& oldPath, const std::string& newPath, std::ostream& out);

// What changed from `before` to `after`, as text; sets `regressed` when a
// check that passed no longer does.
std::string diffReports(const RunReport& before, const RunReport& after, bool& regressed);

}  // namespace bbcheck
