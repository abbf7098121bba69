// The answers of a farm's "new worker" request, derived from a host-stage
// run: the machine's facts, the checks that change which tests can run, the
// owner, and the farm's worker tags.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/profile/onboarding.h"
#include "checker/report/run_report.h"

namespace bbcheck {

struct RequestAnswers {
  // By onboardingAnswerNames(), except "special": its items are below.
  std::map<std::string, std::string> answers;
  std::vector<std::string> special;  // one fact per item
  std::string worker_name;           // owner-suffix
  std::string title;
  // The admins' entry.
  std::vector<std::string> tags;  // from the farm's vocabulary
  int parallel_tests = 2;
  std::vector<std::string> exclude_test_resources;
  std::vector<std::string> notes;  // what the volunteer should know or add
};

// Owner answers come from the profile's vars (owner, email, owner_username,
// worker_name), else from an edited BUILDAREA/info/admin.
RequestAnswers requestAnswers(const RunReport& report, const Onboarding& form);

// The failures that change which tests can run here (the form's
// tests_affected_by), for its free text: only checks that failed or could
// not be checked, most severe first, each with the checks it blocked
// ("required: fails (dns.system): ...; so 10 checks could not run: ...").
std::vector<std::string> testFailures(const RunReport& report, const Onboarding& form);

// The form's machine answers as the JSON report's worker_request holds them.
WorkerRequest workerRequestOf(const RequestAnswers& answers);

}  // namespace bbcheck
