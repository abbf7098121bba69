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

struct WorkerCheck {
  bool checked = false;  // a finished bbcheck build exists
  int64_t build_number = 0;
  std::string builder;
  double finished_at = 0;           // Unix seconds
  int result = -1;                  // Buildbot's: 0 success, 1 warnings, 2 failure, 4 exception...
  std::string verdict;              // bbcheck_verdict, "" when the build set none
  std::vector<std::string> failed;  // bbcheck_failed
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

// Whether this worker keeps the fleet from being ready: connected, and its
// latest bbcheck did not say "ready" (or it was never checked).
bool holdsFleetBack(const WorkerStatus& worker);

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
