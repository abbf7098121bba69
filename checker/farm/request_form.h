// A farm's "new worker" request written out from its answers: the
// prefilled form URL, the same answers as text, and the entry the farm's
// admins will add to their worker list. No network access: the volunteer
// opens the URL.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/farm/request_answers.h"
#include "checker/profile/onboarding.h"

namespace bbcheck {

// GitHub refuses longer request URLs (414, observed at about 8 KB).
constexpr size_t kMaxRequestUrlBytes = 8000;

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
