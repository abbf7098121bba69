// Linux's process table for the duplicate-worker probe: every process in
// /proc that is a Buildbot worker and names the build area by its working
// directory or an argument, apart from twistd.pid's process and its
// descendants (the build steps it runs).
#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/buildbot_tac.h"
#include "probes/buildbot/worker_process.h"
#include "probes/environment/duplicate_worker.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

int parentOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 4 > stat.size()) return 0;
  return std::atoi(stat.c_str() + close + 4);  // ") S PPID"
}

bool same(const std::string& a, const std::string& b) {
  std::error_code ec;
  return !a.empty() && (normalisePath(a) == normalisePath(b) || (fs::equivalent(a, b, ec) && !ec));
}

bool isWorker(const ProcessInfo& p) {
  std::string role = buildbotRole(p.argv);
  if (role == "worker") return true;
  if (role != "twistd" || p.cwd.empty()) return false;
  std::string error;
  auto tac = readBuildbotTac(p.cwd + "/buildbot.tac", &error);
  return tac && tac->is_worker;
}

}  // namespace

std::vector<WorkerProcess> otherWorkerProcesses(const std::string& area, int pid) {
  std::vector<int> pids;
  if (DIR* d = ::opendir("/proc")) {
    while (dirent* e = ::readdir(d)) {
      int p = std::atoi(e->d_name);
      if (p > 0) pids.push_back(p);
    }
    ::closedir(d);
  }
  // The pid file's process and its descendants are the worker itself;
  // bbcheck and its ancestors are whoever asked.
  std::set<int> excluded{pid};
  std::map<int, int> parent;
  for (int p : pids) parent[p] = parentOf(p);
  for (int p = ::getpid(); p > 1; p = parent.count(p) ? parent[p] : 0) excluded.insert(p);
  auto descendsFromWorker = [&](int p) {
    for (int hops = 0; p > 1 && hops < 64; ++hops, p = parent.count(p) ? parent[p] : 0)
      if (pid > 0 && p == pid) return true;
    return false;
  };
  std::vector<WorkerProcess> found;
  for (int p : pids) {
    if (excluded.count(p) || descendsFromWorker(p)) continue;
    std::optional<ProcessInfo> info = readProcessInfo(p);
    if (!info || info->zombie || !isWorker(*info)) continue;
    if (same(info->cwd, area)) {
      found.push_back({p, "working directory"});
      continue;
    }
    for (size_t i = 1; i < info->argv.size(); ++i) {
      if (!info->argv[i].empty() && info->argv[i][0] == '/' && same(info->argv[i], area)) {
        found.push_back({p, "command line"});
        break;
      }
    }
  }
  return found;
}

}  // namespace bbcheck
