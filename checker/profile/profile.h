// A loaded profile: the checks to run, fully resolved (vars substituted,
// defaults applied, parents merged) and validated.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/profile/onboarding.h"
#include "probes/probe.h"

namespace bbcheck {

enum class Severity { Required, Recommended, Info };

const char* severityName(Severity severity);

// When a check can run: before the volunteer asks the farm for credentials
// (host: resources, network, toolchain, environment) or after
// `create-worker` made the build area (worker: build area, boot entry,
// running process, the master login).
enum class Stage { Host, Worker };

const char* stageName(Stage stage);

// Where something was written: 1-based line and column, as editors count.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Check {
  std::string id;
  std::string title;
  std::string probe;                // the probe kind's name
  const ProbeKind* kind = nullptr;  // that kind, in the registry the profile was loaded with
  Params params;                    // validated against the kind's ParamSpec
  Severity severity = Severity::Required;
  Stage stage = Stage::Host;
  std::vector<std::string> tags;
  std::vector<std::string> needs;  // ids that must pass first
  std::string why;
  std::string fix;
  std::string docs;
  Milliseconds timeout{3000};
  // Non-empty when the check does not apply here (platforms, when/unless):
  // it is reported as skip with this reason and never run.
  std::string not_applicable;
  std::string origin;  // the profile that declared it (extends keeps parents')
  // A copy made for one of several workers (id "ID.NAME"): the profile's
  // id, which --only and --skip still select it by. "" otherwise.
  std::string instance_of;
  SourcePos pos;
};

// What must exist before the checks of a stage are judged, as a profile's
// `stages:` section declares it: until then a run that chooses its stage
// itself skips them and says why and what to do.
struct StageGate {
  std::string path;       // vars substituted, "~" expanded
  std::string missing;    // "no build area at ~/buildarea yet"
  std::string next_step;  // "after your request is accepted: buildbot-worker create-worker ..."
  // The var naming the worker's build area (`for_each_worker: buildarea`):
  // unless the run sets it, the workers found on the host are checked, each
  // with the var set to its build area. "" when the profile does not say.
  std::string worker_var;
};

struct Profile {
  std::string name;
  std::string description;
  // What the verdict judges: "image" for a profile checked while a worker
  // image is built (its verdict speaks of the image); else the host.
  std::string subject;
  std::string source;                       // "builtin:NAME" or the file's path
  std::string sha256;                       // of the source text of the top profile
  std::map<std::string, std::string> vars;  // final values
  std::vector<Check> checks;                // in profile order
  std::optional<Onboarding> onboarding;     // the farm's new-worker request form
  std::optional<StageGate> worker_gate;     // none: the worker stage is always judged
};

// A check id: lower-case letters and digits, then also '.', '_' and '-'
// ("net.master-port"). Profiles and reports read back both hold to it.
bool isCheckId(const std::string& text);

}  // namespace bbcheck
