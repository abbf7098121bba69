// What `bbcheck fleet` knows of each worker, read from a Buildbot master's
// REST replies: whether it is connected and the outcome of its latest
// finished bbcheck build (the properties contrib/buildbot/ sets).
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bbcheck {

// A check that did not pass in a worker's latest bbcheck build.
struct NotPassing {
  std::string id;
  std::string severity;  // required, recommended, info; "" when the build did not say
  std::string status;    // fail, error, blocked; "" when the build did not say
};

struct WorkerCheck {
  bool checked = false;  // a finished bbcheck build exists
  int64_t build_number = 0;
  std::string builder;
  double finished_at = 0;           // Unix seconds
  int result = -1;                  // Buildbot's: 0 success, 1 warnings, 2 failure, 4 exception...
  std::string verdict;              // bbcheck_verdict, "" when the build set none
  std::vector<std::string> failed;  // bbcheck_failed
  // bbcheck_not_passing (with severity and status); from bbcheck_failed's
  // ids alone when an older builder step set only that.
  std::vector<NotPassing> not_passing;
  std::map<std::string, int64_t> summary;
  std::string version;
  std::string state;  // the build's state_string, e.g. "bbcheck not_ready"
};

struct WorkerStatus {
  int64_t id = 0;
  std::string name;
  bool connected = false;
  bool paused = false;
  WorkerCheck check;
};

// The builder runs bbcheck nightly (contrib/buildbot/bbcheck_buildbot.py's
// Nightly scheduler): a latest check older than a day and a bit (a slow or
// queued build) means the builder stopped checking the worker.
constexpr const char* kDefaultMaxAge = "26h";

// When `bbcheck fleet` runs and how old a worker's latest check may be.
struct FleetClock {
  double now = 0;      // Unix seconds
  double max_age = 0;  // seconds
};

// Why this worker keeps the fleet from being ready, "" when it does not:
// "disconnected", "never checked", "checked 30h ago, over --max-age 26h",
// or its verdict when not ready ("not_ready", "no report", ...).
std::string fleetProblem(const WorkerStatus& worker, const FleetClock& clock);

bool holdsFleetBack(const WorkerStatus& worker, const FleetClock& clock);

// "45s", "3m", "30h", "2d": an age as fleet prints it.
std::string ageText(double seconds);

// "2040-01-01T00:00:00Z": a master's Unix time (seconds, a double in its
// JSON) as ISO 8601, without time_t, which is 32 bits on Debian 12's armhf
// and i386 and ends in 2038. Outside year 1970 to 9999 (or not a number:
// the master's reply is outside data) it is clamped to that range.
std::string isoTimeText(double unixSeconds);

// From /api/v2/workers. Throws FleetError when the reply has not that shape.
std::vector<WorkerStatus> parseWorkers(const Poco::JSON::Object::Ptr& reply);

struct BuilderRef {
  int64_t id = 0;
  std::string name;
};

// The builders of /api/v2/builders whose names start with `prefix`.
std::vector<BuilderRef> parseBbcheckBuilders(const Poco::JSON::Object::Ptr& reply,
                                             const std::string& prefix);

// The first build of a /api/v2/builders/N/builds?...&property=* reply, as a
// check; the worker it ran on goes to `workerId`. No builds: checked=false.
WorkerCheck parseLatestBuild(const Poco::JSON::Object::Ptr& reply, const std::string& builder,
                             int64_t* workerId);

}  // namespace bbcheck
