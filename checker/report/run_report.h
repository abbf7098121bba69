// The report model: what every format renders, and what a received JSON
// report is read back into: the run's results with the host's facts, the
// verdict and the farm form's machine answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/report/worker_request.h"
#include "checker/run/host_facts.h"
#include "checker/run/result.h"
#include "checker/run/stage.h"
#include "checker/run/worker_instances.h"

namespace bbcheck {

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
  // When interrupted: the signal that stopped the run (SIGINT, SIGTERM,
  // SIGHUP), or 0 when a report read back does not say.
  int stop_signal = 0;
  std::string tool_version;
  // The farm form's machine answers; when absent, reports derive them from
  // the host facts. A received report keeps the ones it was sent with.
  std::optional<WorkerRequest> worker_request;
  // The workers found on the host (or named with --set), where each was
  // found, and which were checked.
  std::vector<WorkerInstance> workers;
};

}  // namespace bbcheck
