// The text report's verdict line (see report_text_verdict.h).
#include "checker/report/report_text_verdict.h"

#include <fmt/format.h>

#include "checker/report/report.h"
#include "checker/report/text_triage.h"

namespace bbcheck {

VerdictLine verdictLine(const RunReport& report) {
  StatusCounts n = countListedStatuses(report);
  auto count = [&](Status s) { return n[static_cast<size_t>(s)]; };
  int failed = count(Status::Fail), errors = count(Status::Error), notes = 0;
  for (const CheckResult* r : listedResults(report)) {
    if (!isInfoNote(*r, report.fail_on)) continue;
    ++notes;
    --(r->status == Status::Fail ? failed : errors);
  }
  int counted = 0;
  for (const auto& r : report.results) counted += counts(r, report.fail_on) ? 1 : 0;
  // Checks --only or --skip left out are counted apart from the skipped.
  int deselected =
      static_cast<int>(report.results.size()) - static_cast<int>(listedResults(report).size());
  std::string tally = fmt::format(
      "{} passed, {} failed, {} errors, {} blocked, {} skipped{}{}{} in {:.2f}s",
      count(Status::Pass), failed, errors, count(Status::Blocked), count(Status::Skip),
      count(Status::Waived) > 0 ? fmt::format(", {} waived", count(Status::Waived)) : "",
      notes > 0 ? fmt::format(", {} info", notes) : "",
      deselected > 0 ? fmt::format(", {} not selected", deselected) : "",
      report.duration_ms / 1000.0);
  // A host-stage verdict is what the volunteer needs before asking the
  // farm for credentials; the worker stage comes after create-worker. A run
  // of some checks only (--only, --skip) says nothing about the request,
  // and says that its verdict covers the selected checks only.
  int listed = static_cast<int>(listedResults(report).size());
  std::string what = deselected > 0 ? fmt::format(" in the {} selected check{} only", listed,
                                                  listed == 1 ? "" : "s")
                     : report.profile->subject == "image" ? " as a worker image"
                     : report.stage == StageScope::Host   ? " to request a worker"
                                                          : "";
  VerdictLine line;
  if (report.interrupted) {
    line = {"INTERRUPTED: not every check ran", "", "\033[33m"};
  } else if (report.verdict == Verdict::Ready) {
    line = {"READY" + what, "", "\033[1;32m"};
  } else if (counted == 0) {
    line = {"NOT READY: nothing was checked", "", "\033[1;31m"};
  } else {
    line = {fmt::format("NOT READY{}: {} {} check{} did not pass", what, counted,
                        report.fail_on == Severity::Required ? "required" : "counted",
                        counted == 1 ? "" : "s"),
            "", "\033[1;31m"};
  }
  line.tally = tally;
  return line;
}

std::string VerdictLine::render(bool paint) const {
  std::string painted = paint ? fmt::format("{}{}\033[0m", color, word) : word;
  return fmt::format("{} ({})", painted, tally);
}

}  // namespace bbcheck
