// Linux's process table for worker discovery: every process in /proc that
// is a Buildbot worker, and the build area it runs in.
#include <dirent.h>

#include <cstdlib>

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/buildbot_tac.h"
#include "probes/buildbot/worker_discovery.h"
#include "probes/buildbot/worker_process.h"

namespace bbcheck {
namespace {

// A worker's tac, not a master's: a bare twistd runs either.
bool isWorkerArea(const std::string& dir) {
  if (dir.empty()) return false;
  std::string error;
  auto tac = readBuildbotTac(dir + "/buildbot.tac", &error);
  return tac && tac->is_worker;
}

}  // namespace

std::vector<RunningWorker> runningWorkers() {
  std::vector<RunningWorker> found;
  DIR* d = ::opendir("/proc");
  if (!d) return found;
  std::vector<int> pids;
  while (dirent* e = ::readdir(d)) {
    int pid = std::atoi(e->d_name);
    if (pid > 0) pids.push_back(pid);
  }
  ::closedir(d);
  for (int pid : pids) {
    std::optional<ProcessInfo> p = readProcessInfo(pid);
    if (!p || p->zombie) continue;
    std::string role = buildbotRole(p->argv);
    if (role == "twistd") {
      if (isWorkerArea(p->cwd)) found.push_back({pid, normalisePath(p->cwd), "twistd"});
      continue;
    }
    if (role != "worker") continue;
    // `buildbot-worker start DIR` (or --nodaemon under systemd, in its
    // WorkingDirectory): the last absolute argument holding a tac, else
    // the working directory.
    std::string area;
    for (size_t i = 1; i < p->argv.size(); ++i)
      if (!p->argv[i].empty() && p->argv[i][0] == '/' && isWorkerArea(p->argv[i]))
        area = p->argv[i];
    if (area.empty() && isWorkerArea(p->cwd)) area = p->cwd;
    if (!area.empty()) found.push_back({pid, normalisePath(area), "buildbot-worker"});
  }
  return found;
}

}  // namespace bbcheck
