// Reads a profile's `stages:` section: what must exist before the checks of
// a stage are judged (StageGate, profile.h). Only the worker stage waits;
// the host stage is where every run starts.
//
//   stages:
//     worker:
//       requires: "${buildarea}/buildbot.tac"        # a path; "~" expands
//       missing: "no build area at ${buildarea} yet"  # why its checks wait
//       next_step: "after your request is accepted: buildbot-worker create-worker ..."
//       for_each_worker: buildarea   # the var a worker found on the host sets
//
// Mistakes are ProfileErrors naming file:line:column.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "checker/profile/profile.h"
#include "checker/profile/raw_profile.h"

namespace bbcheck {

// `stages` is the YAML node of `stages:`; ${var}s are substituted. None
// when the section or its `worker:` is empty (a child's way to lift its
// parent's gate).
std::optional<StageGate> readWorkerGate(const RawField& stages,
                                        const std::map<std::string, std::string>& vars);

}  // namespace bbcheck
