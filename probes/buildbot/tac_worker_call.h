// The `Worker(...)` call at the end of buildbot.tac, read for the settings
// buildbot_worker.pb.Worker refuses when twistd loads the file (its asserts
// and ValueErrors in Debian's buildbot-worker 3.7), so that bbcheck fails with
// the worker's own words instead of passing a file the worker will not run.
#pragma once

#include <string>

#include "probes/buildbot/buildbot_tac.h"

namespace bbcheck {

struct WorkerRefusal {
  std::string reason;  // the worker's own message
  std::string detail;  // what in the file triggers it
  int line = 0;        // of the Worker( call
};

// The first refusal the worker would raise, or reason "" when none applies.
// An argument that is an expression bbcheck does not evaluate never refuses.
WorkerRefusal workerRefusal(const std::string& tacText, const BuildbotTac& tac);

// buildbot-worker's own test that a directory is a worker's
// (buildbot_worker/scripts/base.py isWorkerDir): start, stop and restart
// refuse a buildbot.tac without this text.
inline constexpr const char* kWorkerDirMarker = "Application('buildbot-worker')";

}  // namespace bbcheck
