#include "probes/buildbot/worker_process.h"

#include "probes/text.h"

namespace bbcheck {

// readProcessInfo() reads /proc: worker_process_linux.cpp.

std::string buildbotRole(const std::vector<std::string>& argv) {
  bool twistd = false, master = false;
  for (const std::string& arg : argv) {
    std::string base = baseName(arg);
    if (base == "buildbot-worker" || base == "buildslave") return "worker";
    if (arg.find("buildbot_worker") != std::string::npos) return "worker";
    // `buildbot start` daemonizes as `python3 -c "from twisted.scripts
    // import twistd; twistd.run()" --python=buildbot.tac`.
    if (base == "twistd" || base == "twistd3" || arg.find("twisted.scripts") != std::string::npos) {
      twistd = true;
    }
    if (base == "buildbot" || arg.find("buildbot.scripts") != std::string::npos) master = true;
  }
  if (master) return "master";
  return twistd ? "twistd" : "";
}

}  // namespace bbcheck
