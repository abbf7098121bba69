#include "checker/profile/stage_gate_reader.h"

#include <fmt/format.h>

#include "checker/profile/profile_error.h"
#include "checker/profile/profile_section.h"
#include "checker/profile/vars.h"

namespace bbcheck {

std::optional<StageGate> readWorkerGate(const RawField& raw,
                                        const std::map<std::string, std::string>& vars) {
  if (raw.node.isNull()) return std::nullopt;
  ProfileSection stages(raw.node, raw.file, "stages", {"worker"}, vars);
  YamlNode worker = stages.node("worker");
  if (!worker.isDefined() || worker.isNull()) return std::nullopt;
  ProfileSection section(worker, raw.file, "stages.worker",
                         {"requires", "missing", "next_step", "for_each_worker"}, vars);
  std::string path = section.text("requires", true);
  if (path.empty())
    throw ProfileError(section.pos("requires"),
                       "'requires' in stages.worker is empty: it names the path that must exist");
  StageGate gate;
  gate.path = expandHome(path);
  gate.missing = section.text("missing", false);
  if (gate.missing.empty()) gate.missing = fmt::format("no {} yet", path);
  gate.next_step = section.text("next_step", false);
  gate.worker_var = section.text("for_each_worker", false);
  if (!gate.worker_var.empty() && !vars.count(gate.worker_var))
    throw ProfileError(section.pos("for_each_worker"),
                       fmt::format("'for_each_worker' in stages.worker names var '{}', which the "
                                   "profile does not declare",
                                   gate.worker_var));
  return gate;
}

}  // namespace bbcheck
