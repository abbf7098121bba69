// What every report format shares (see report.h).
#include "checker/report/report.h"

#include <fmt/format.h>

namespace bbcheck {

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

std::string waivedText(const CheckResult& result) {
  if (!result.waiver) return "waived";
  const AppliedWaiver& w = *result.waiver;
  return fmt::format("waived{} (was {}): {}", w.until.empty() ? "" : " until " + w.until,
                     statusName(w.was), w.why);
}

std::string triesText(const CheckResult& result) {
  return result.tries > 1 ? fmt::format(" ({} tries)", result.tries) : "";
}

std::string groupOf(const std::string& id) {
  return id.substr(0, id.find('.'));
}

}  // namespace bbcheck
