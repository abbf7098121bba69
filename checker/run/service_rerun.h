// The worker does not run in the volunteer's shell: cron or systemd starts
// it with another PATH, locale, limits and maybe another user. A check that
// depends on that (a program on PATH, a compiler, a locale, a limit) is
// tagged `service-env`; for each, this adds a derived check that re-runs it
// inside the worker's service environment and fails on every difference
// from this run ("hg is found in your shell but not in the worker's").
//
// The environment comes from the profile's check whose probe kind reads one
// (ProbeKind::read_service_environment). The re-run is one child bbcheck, started
// as the service would start the worker (probes/environment/service_env.h),
// with `--only` the tagged checks and a JSON report on a pipe; it starts
// nothing else and writes no file, and it ends by the derived checks'
// deadline, which is within the run's.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/run/derived_check.h"

namespace bbcheck {

// What the child bbcheck needs to load the same checks.
struct RerunSettings {
  std::vector<std::string> profiles;  // as given with -p ("" list: the default profile)
  std::vector<std::string> sets;      // --set NAME=VALUE
  std::string timeout;                // --timeout, "" when not given
  int jobs = 64;
};

constexpr const char* kServiceEnvTag = "service-env";

// The child bbcheck's arguments (after the program's name): this run's
// profiles (files made absolute: the child starts in the worker's
// directory), --set values and --timeout, `--only` each check in `ids`, and
// a JSON report on standard output, due within `timeLeft` (less a margin for
// reading it). The one place that turns this run's settings into the
// child's command line.
std::vector<std::string> rerunArguments(const RerunSettings& settings,
                                        const std::vector<std::string>& ids, Milliseconds timeLeft);

// One check as the child reported it.
struct RerunResult {
  Status status = Status::Error;
  std::string message;
};

// The checks in the child's JSON report (schema/report-v1: "checks", each
// with "id", "status" and "message"), by id; read with Poco::JSON, which
// throws a Poco::Exception on anything else.
std::map<std::string, RerunResult> readRerunReport(const std::string& json);

// Inserts, right after the service-environment check, one derived check per
// check tagged `service-env`, with the id "<environment check's id>.<id>"
// and that check's severity, and returns how each of them runs (for
// SchedulerOptions::derived and selectChecks). No-op, and nothing returned,
// when the profile has no such pair. Call it once per profile.
DerivedChecks addServiceReruns(Profile& profile, const RerunSettings& settings);

}  // namespace bbcheck
