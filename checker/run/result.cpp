#include "checker/run/result.h"

namespace bbcheck {

const char* severityName(Severity severity) {
  switch (severity) {
    case Severity::Required:
      return "required";
    case Severity::Recommended:
      return "recommended";
    case Severity::Info:
      return "info";
  }
  return "required";
}

Status statusNamed(const std::string& name) {
  for (Status s : kAllStatuses)
    if (name == statusName(s)) return s;
  return Status::Error;
}

const std::string& fixOf(const CheckResult& result) {
  return result.fix.empty() ? result.check->fix : result.fix;
}

StatusCounts countStatuses(const std::vector<CheckResult>& results) {
  StatusCounts counts{};
  for (const auto& r : results) ++counts[static_cast<size_t>(r.status)];
  return counts;
}

bool counts(const CheckResult& result, Severity failOn) {
  bool bad = result.status == Status::Fail || result.status == Status::Error ||
             result.status == Status::Blocked;
  // Severity enumerators run from most to least important.
  return bad && static_cast<int>(result.check->severity) <= static_cast<int>(failOn);
}

Verdict computeVerdict(const std::vector<CheckResult>& results, Severity failOn) {
  bool anyRan = false;
  for (const auto& r : results) {
    if (counts(r, failOn)) return Verdict::NotReady;
    anyRan = anyRan || r.status != Status::Skip;
  }
  // A run in which nothing was checked proves nothing: not ready.
  return anyRan ? Verdict::Ready : Verdict::NotReady;
}

}  // namespace bbcheck
