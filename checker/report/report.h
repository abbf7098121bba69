// Renders a RunReport in one of the report formats. Reporters read results
// and host facts; they never name a probe kind.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/report/run_report.h"

namespace bbcheck {

enum class ReportFormat { Text, Json, Junit, Tap, Prometheus };

std::optional<ReportFormat> parseReportFormat(const std::string& name);
const char* reportFormatName(ReportFormat format);

struct TextStyle {
  bool color = false;
  bool quiet = false;    // -q: the verdict line only
  bool verbose = false;  // -v: title, why, fix, observed and expected under every check
  bool brief = false;    // what needs fixing and the verdict (bbcheck request without -v)
};

std::string renderText(const RunReport& report, const TextStyle& style);
std::string renderJson(const RunReport& report);
std::string renderJunit(const RunReport& report);
std::string renderTap(const RunReport& report);
std::string renderPrometheus(const RunReport& report);  // node_exporter textfile

std::string renderReport(ReportFormat format, const RunReport& report, const TextStyle& style);

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
