// Applying waivers to a run's results (the waivers themselves:
// checker/profile/waiver_reader.h). A waived check that did not pass is
// `waived` and does not count for the verdict; after its until date the
// waiver no longer holds: the check counts again and its message says the
// waiver expired.
#pragma once

#include <string>
#include <vector>

#include "checker/profile/waiver_reader.h"
#include "checker/run/result.h"

namespace bbcheck {

// Throws ProfileError when a waiver names no check of `profile`: a typo
// must not leave a failure counting that its author believes waived.
void checkWaiverIds(const Profile& profile, const std::vector<Waiver>& waivers);

// Today's date in UTC, YYYY-MM-DD: the day waivers are judged on.
std::string todayUtc();

// Marks the results the waivers accept, judged on `today` (YYYY-MM-DD). A
// waiver holds through its until day. Passing and skipped checks are left
// as they are; when several waivers name a check the first one counts.
void applyWaivers(std::vector<CheckResult>& results, const std::vector<Waiver>& waivers,
                  const std::string& today);

}  // namespace bbcheck
