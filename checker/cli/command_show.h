// bbcheck show REPORT.json: a received JSON report, validated, re-judged and
// re-rendered in any format, exactly as the run that made it would have
// rendered it; it exits as that run would have (exit_codes.h).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "checker/cli/command_table.h"
#include "checker/report/report_formats.h"

namespace bbcheck {

CommandRunner defineShowCommand(CLI::App& command);

// Re-renders the report at `path` in `format`, re-judged under `failOn` when
// given (else under the report's own).
int showCommand(const std::string& path, const ReportFormat& format, std::optional<Severity> failOn,
                const TextStyle& style, std::ostream& out);

}  // namespace bbcheck
