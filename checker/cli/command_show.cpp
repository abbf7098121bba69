// bbcheck show: a received JSON report, validated, re-judged and re-rendered
// in any format, exactly as the run that made it would have rendered it.
#include "checker/cli/commands.h"
#include "checker/report/report_reader.h"

namespace bbcheck {

int exitCodeOf(const RunReport& report) {
  if (report.interrupted) return 130;
  return report.verdict == Verdict::Ready ? 0 : 1;
}

int showCommand(const std::string& path, const ReportFormat& format, std::optional<Severity> failOn,
                const TextStyle& style, std::ostream& out) {
  std::unique_ptr<ReceivedReport> received = readReport(path);
  RunReport& report = received->report;
  if (failOn) {
    report.fail_on = *failOn;
    report.verdict = computeVerdict(report.results, report.fail_on);
  }
  out << format.render(report, style) << std::flush;
  return exitCodeOf(report);
}

}  // namespace bbcheck
