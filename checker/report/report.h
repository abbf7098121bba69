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

// How every format names a waived result's waiver: "waived until
// 2027-01-31 (was fail): WHY" ("waived (was fail): WHY" without a date).
std::string waivedText(const CheckResult& result);

// " (3 tries)" for a check --retry-for ran more than once, else "".
std::string triesText(const CheckResult& result);

// The group a check is shown under: its id's first segment.
std::string groupOf(const std::string& id);

}  // namespace bbcheck
