// The Prometheus report: node_exporter's textfile collector format (the text
// exposition format, no timestamps), one file per worker under its
// textfile directory. The metric names are DESIGN.md's; alert rules in
// contrib/prometheus/ depend on them.
#include "checker/report/report_prometheus.h"

#include <Poco/DateTimeParser.h>
#include <fmt/format.h>

#include "checker/report/prometheus_text.h"
#include "checker/report/report.h"

namespace bbcheck {
namespace {

struct Label {
  const char* name;
  std::string value;
};

void family(std::string& out, const char* name, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, escapeHelp(help), name);
}

void sample(std::string& out, const char* name, const std::vector<Label>& labels,
            const std::string& value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out += ',';
      out += fmt::format("{}=\"{}\"", labels[i].name, escapeLabelValue(labels[i].value));
    }
    out += '}';
  }
  out += ' ' + value + '\n';
}

// When the run ended, in Unix seconds: started_at plus its duration.
double endedAtSeconds(const RunReport& report) {
  Poco::DateTime started;
  int tzd = 0;
  if (!Poco::DateTimeParser::tryParse(report.started_at, started, tzd)) return 0;
  started.makeUTC(tzd);
  double startedSeconds = static_cast<double>(started.timestamp().epochMicroseconds()) / 1e6;
  return startedSeconds + static_cast<double>(report.duration_ms) / 1000.0;
}

// The worker label: the checked workers' names in their buildbot.tac (what
// the master and its admins call them), else the host's name.
std::string workerLabel(const RunReport& report) {
  std::vector<std::string> names;
  for (const WorkerInstance& w : report.workers)
    if (w.checked && !w.name.empty()) names.push_back(w.name);
  if (names.empty()) return report.host.hostname;
  std::string label;
  for (const std::string& name : names) label += (label.empty() ? "" : ",") + name;
  return label;
}

}  // namespace

std::string renderPrometheus(const RunReport& report) {
  std::string out;
  bool ready = !report.interrupted && report.verdict == Verdict::Ready;
  family(out, "bbcheck_ready",
         "1 when the last bbcheck run found the worker ready, else 0 (not ready or interrupted).");
  sample(out, "bbcheck_ready", {}, ready ? "1" : "0");

  // Every selected check has both series, whatever its status: an alert on
  // a required check must not clear because a check it needs broke and
  // left it blocked. The status is a series apart so that check_ok's
  // labels stay the same when the status changes (an alert's `for` holds).
  family(out, "bbcheck_check_ok",
         "1 when the check passed in the last run, else 0 (failed, could not decide, blocked by "
         "a check it needs, skipped or waived: bbcheck_check_status says which).");
  std::vector<const CheckResult*> listed = listedResults(report);
  for (const CheckResult* r : listed)
    sample(out, "bbcheck_check_ok",
           {{"check", r->check->id}, {"severity", severityName(r->check->severity)}},
           r->status == Status::Pass ? "1" : "0");
  family(out, "bbcheck_check_status",
         "1 for each check's status in the last run (pass, fail, error, blocked, skip or waived).");
  for (const CheckResult* r : listed)
    sample(out, "bbcheck_check_status",
           {{"check", r->check->id},
            {"severity", severityName(r->check->severity)},
            {"status", statusName(r->status)}},
           "1");

  family(out, "bbcheck_checks", "Checks per status in the last bbcheck run.");
  // Checks that --only or --skip left out are not counted (not as skip):
  // an alert on skips must not fire because a run was narrowed.
  StatusCounts counts = countListedStatuses(report);
  for (Status s : kAllStatuses)
    sample(out, "bbcheck_checks", {{"status", statusName(s)}},
           std::to_string(counts[static_cast<size_t>(s)]));

  family(out, "bbcheck_last_run_timestamp_seconds",
         "When the last bbcheck run ended, in seconds since the Unix epoch.");
  sample(out, "bbcheck_last_run_timestamp_seconds", {},
         fmt::format("{:.3f}", endedAtSeconds(report)));

  family(out, "bbcheck_run_duration_seconds", "How long the last bbcheck run took.");
  sample(out, "bbcheck_run_duration_seconds", {},
         fmt::format("{:.3f}", static_cast<double>(report.duration_ms) / 1000.0));

  family(out, "bbcheck_info",
         "The bbcheck version, profile, worker (its name in buildbot.tac, else the host's) and "
         "host of the last run; always 1.");
  sample(out, "bbcheck_info",
         {{"version", report.tool_version},
          {"profile", report.profile->name},
          {"worker", workerLabel(report)},
          {"host", report.host.hostname}},
         "1");
  return out;
}

}  // namespace bbcheck
