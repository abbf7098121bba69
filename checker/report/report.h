// What every report format shares: the verdict's word, which results are
// listed, how they are grouped. Reporters read results and host facts; they
// never name a probe kind. The formats themselves are report_<name>.h,
// registered in report_formats.h.
#pragma once

#include <string>
#include <vector>

#include "checker/report/run_report.h"

namespace bbcheck {

// "ready", "not_ready" or "interrupted": the same word in every format.
std::string verdictName(const RunReport& report);

// Whether fix/docs belong with this result (it did not pass or skip).
bool needsAttention(const CheckResult& result);

// The results text, JUnit and TAP list: those --only and --skip selected.
std::vector<const CheckResult*> listedResults(const RunReport& report);

// Counts per status of those listed results (a deselected check is not a skip).
StatusCounts countListedStatuses(const RunReport& report);

// The group a check is shown under: its id's first segment.
std::string groupOf(const std::string& id);

}  // namespace bbcheck
