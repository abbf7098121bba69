// bbcheck show: a received JSON report, validated, re-judged and re-rendered
// in any format, exactly as the run that made it would have rendered it.
#include "checker/cli/commands.h"
#include "checker/cli/exit_codes.h"
#include "checker/report/report_reader.h"

namespace bbcheck {

int showCommand(const std::string& path, const ReportFormat& format, std::optional<Severity> failOn,
                const TextStyle& style, std::ostream& out) {
  std::unique_ptr<ReceivedReport> received = readReport(path);
  RunReport& report = received->report;
  if (failOn) {
    report.fail_on = *failOn;
    report.verdict = computeVerdict(report.results, report.fail_on);
  }
  out << format.render(report, style) << std::flush;
  // The report does not say which signal stopped its run: SIGINT's code.
  return exitCodeOf(report);
}

}  // namespace bbcheck
