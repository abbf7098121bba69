// Applying waivers (see waivers.h).
#include "checker/run/waivers.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>

#include <unordered_set>

#include "checker/profile/profile_error.h"

namespace bbcheck {
namespace {

bool names(const Waiver& waiver, const Check& check) {
  return waiver.id == check.id || (!check.instance_of.empty() && waiver.id == check.instance_of);
}

bool waivable(Status status) {
  return status == Status::Fail || status == Status::Error || status == Status::Blocked;
}

}  // namespace

void checkWaiverIds(const Profile& profile, const std::vector<Waiver>& waivers) {
  std::unordered_set<std::string> ids;
  for (const Check& c : profile.checks) {
    ids.insert(c.id);
    if (!c.instance_of.empty()) ids.insert(c.instance_of);
  }
  for (const Waiver& w : waivers)
    if (!ids.count(w.id))
      throw ProfileError({}, fmt::format("{}: waives {}, which profile {} has no check of", w.where,
                                         w.id, profile.name));
}

std::string todayUtc() {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%d");
}

void applyWaivers(std::vector<CheckResult>& results, const std::vector<Waiver>& waivers,
                  const std::string& today) {
  for (CheckResult& r : results) {
    if (!waivable(r.status)) continue;
    for (const Waiver& w : waivers) {
      if (!names(w, *r.check)) continue;
      // ISO dates compare as text; the until day itself is still covered.
      bool expired = !w.until.empty() && today > w.until;
      r.waiver = AppliedWaiver{w.why, w.until, expired, r.status};
      if (expired)
        r.message += fmt::format(" (its waiver expired after {}: {})", w.until, w.why);
      else
        r.status = Status::Waived;
      break;
    }
  }
}

}  // namespace bbcheck
