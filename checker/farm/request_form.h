// The answers of a farm's "new worker" request, derived from a host-stage
// run: the prefilled form URL, the same answers as text, and the entry the
// farm's admins will add to their worker list. No network access: the
// volunteer opens the URL.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/profile/onboarding.h"
#include "checker/report/run_report.h"

namespace bbcheck {

// GitHub refuses longer request URLs (414, observed at about 8 KB).
constexpr size_t kMaxRequestUrlBytes = 8000;

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

// The form's machine answers as the JSON report's worker_request holds them.
WorkerRequest workerRequestOf(const RequestAnswers& answers);

struct RequestUrl {
  std::string url;
  std::vector<std::string> notes;  // what was shortened or left out to fit
};

RequestUrl requestUrl(const RequestAnswers& answers, const Onboarding& form,
                      size_t maxBytes = kMaxRequestUrlBytes);

// "Label: answer" lines in the form's order, for pasting.
std::string requestText(const RequestAnswers& answers, const Onboarding& form);

// e.g. cpw(name="jane-debian12-amd64", tags=["linux", ...], parallel_tests=4);
// "" when the form names no entry call.
std::string workerEntry(const RequestAnswers& answers, const Onboarding& form);

// "jane@example.org" -> "jane at example dot org", as the form asks.
std::string obfuscateEmail(const std::string& email);

}  // namespace bbcheck
