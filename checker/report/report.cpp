#include "checker/report/report.h"

namespace bbcheck {

std::optional<ReportFormat> parseReportFormat(const std::string& name) {
  if (name == "text") return ReportFormat::Text;
  if (name == "json") return ReportFormat::Json;
  if (name == "junit") return ReportFormat::Junit;
  if (name == "tap") return ReportFormat::Tap;
  if (name == "prometheus") return ReportFormat::Prometheus;
  return std::nullopt;
}

const char* reportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::Text:
      return "text";
    case ReportFormat::Json:
      return "json";
    case ReportFormat::Junit:
      return "junit";
    case ReportFormat::Tap:
      return "tap";
    case ReportFormat::Prometheus:
      return "prometheus";
  }
  return "text";
}

std::string renderReport(ReportFormat format, const RunReport& report, const TextStyle& style) {
  switch (format) {
    case ReportFormat::Text:
      return renderText(report, style);
    case ReportFormat::Json:
      return renderJson(report);
    case ReportFormat::Junit:
      return renderJunit(report);
    case ReportFormat::Tap:
      return renderTap(report);
    case ReportFormat::Prometheus:
      return renderPrometheus(report);
  }
  return "";
}

std::string verdictName(const RunReport& report) {
  if (report.interrupted) return "interrupted";
  return report.verdict == Verdict::Ready ? "ready" : "not_ready";
}

bool needsAttention(const CheckResult& result) {
  return result.status == Status::Fail || result.status == Status::Error ||
         result.status == Status::Blocked;
}

std::vector<const CheckResult*> listedResults(const RunReport& report) {
  std::vector<const CheckResult*> listed;
  for (const auto& r : report.results)
    if (r.selected) listed.push_back(&r);
  return listed;
}

StatusCounts countListedStatuses(const RunReport& report) {
  StatusCounts counts{};
  for (const CheckResult* r : listedResults(report)) ++counts[static_cast<size_t>(r->status)];
  return counts;
}

std::string groupOf(const std::string& id) {
  return id.substr(0, id.find('.'));
}

}  // namespace bbcheck
