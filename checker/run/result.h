// What a run produced: one result per check, in profile order, and the
// verdict computed from them.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "checker/profile/profile.h"

namespace bbcheck {

// A waiver that met this check: it accepted the check's failure (status
// waived; `was` what it would have been) or, past its date, no longer does
// (the status stays; the reports note that it expired).
struct AppliedWaiver {
  std::string why;
  std::string until;  // YYYY-MM-DD, the last day it holds; "" for no end
  bool expired = false;
  Status was = Status::Fail;  // the status it replaced (when not expired)
};

struct CheckResult {
  const Check* check = nullptr;  // points into the run's Profile
  Status status = Status::Skip;
  std::string message;
  Value observed;
  Value expected;
  int64_t duration_ms = 0;
  // False when --only or --skip left the check out: text, JUnit, TAP and
  // Prometheus reports leave it out too; JSON keeps it, "selected": false.
  bool selected = true;
  // The probe's fix for this host (Outcome::fix), or "": the check's own.
  std::string fix{};
  // How many times its probe ran: more than 1 only under --retry-for.
  int tries = 1;
  // The waiver naming this check, when one applied or has expired.
  std::optional<AppliedWaiver> waiver{};
};

// The status a report names ("pass", "fail"...); any other name is error.
Status statusNamed(const std::string& name);

// The fix a report shows for this result: the probe's, else the check's.
const std::string& fixOf(const CheckResult& result);

enum class Verdict { Ready, NotReady };

// Every status, in the order reports count them.
constexpr std::array<Status, 6> kAllStatuses = {Status::Pass,    Status::Fail, Status::Error,
                                                Status::Blocked, Status::Skip, Status::Waived};

// Counts per status, indexed by Status.
using StatusCounts = std::array<int, kAllStatuses.size()>;

StatusCounts countStatuses(const std::vector<CheckResult>& results);

// Whether a result keeps the host from being ready: fail, error or blocked
// at `failOn` severity or above (Required > Recommended > Info).
bool counts(const CheckResult& result, Severity failOn);

Verdict computeVerdict(const std::vector<CheckResult>& results, Severity failOn);

}  // namespace bbcheck
