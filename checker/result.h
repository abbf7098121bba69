// What a run produced: one result per check, in profile order, and the
// verdict computed from them.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "checker/profile.h"
#include "checker/stage.h"
#include "probes/host_facts.h"

namespace bbcheck {

struct CheckResult {
  const Check* check = nullptr;  // points into the run's Profile
  Status status = Status::Skip;
  std::string message;
  Value observed;
  Value expected;
  int64_t duration_ms = 0;
};

enum class Verdict { Ready, NotReady };

// Counts per status, indexed by Status.
using StatusCounts = std::array<int, 5>;

StatusCounts countStatuses(const std::vector<CheckResult>& results);

// Whether a result keeps the host from being ready: fail, error or blocked
// at `failOn` severity or above (Required > Recommended > Info).
bool counts(const CheckResult& result, Severity failOn);

Verdict computeVerdict(const std::vector<CheckResult>& results, Severity failOn);

struct RunReport {
  const Profile* profile = nullptr;
  HostFacts host;
  std::string started_at;  // ISO 8601, UTC
  int64_t duration_ms = 0;
  std::vector<CheckResult> results;
  Severity fail_on = Severity::Required;
  Verdict verdict = Verdict::NotReady;
  StageScope stage = StageScope::All;  // which checks the verdict covers
  bool interrupted = false;
  std::string tool_version;
};

}  // namespace bbcheck
