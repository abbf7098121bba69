#include "checker/run/skip_reason.h"

#include <fmt/format.h>

namespace bbcheck {

namespace {

// How a need's status reads after "needs X, which ...".
const char* needVerb(Status status) {
  switch (status) {
    case Status::Fail:
      return "failed";
    case Status::Error:
      return "could not be decided";
    case Status::Blocked:
      return "is blocked itself";
    case Status::Skip:
      return "was skipped";
    case Status::Pass:
      return "passed";
    case Status::Waived:
      return "failed (waived)";
  }
  return "did not pass";
}

}  // namespace

Status SkipReason::status() const {
  switch (kind) {
    case Kind::Blocked:
      return Status::Blocked;
    case Kind::Deadline:
      return Status::Error;
    case Kind::NotSelected:
    case Kind::Excluded:
    case Kind::NotApplicable:
    case Kind::Interrupted:
      return Status::Skip;
  }
  return Status::Skip;
}

SkipReason SkipReason::blocked(const std::string& needId, Status needStatus) {
  return {Kind::Blocked, fmt::format("needs {}, which {}", needId, needVerb(needStatus))};
}

SkipReason SkipReason::deadline(bool wasRunning, Milliseconds runDeadline) {
  std::string when = secondsText(runDeadline);
  return {Kind::Deadline, wasRunning
                              ? fmt::format("still running at the run's deadline ({})", when)
                              : fmt::format("not started before the run's deadline ({})", when)};
}

std::string secondsText(Milliseconds ms) {
  return fmt::format("{:.3g}s", ms.count() / 1000.0);
}

}  // namespace bbcheck
