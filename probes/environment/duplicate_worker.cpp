// The `duplicate-worker` probe: finds the other build areas on this host and
// compares their worker names (and masters) with this one's; asks the
// process table (duplicate_worker_linux.cpp) for a second worker process.
#include "probes/environment/duplicate_worker.h"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/boot_helpers.h"
#include "probes/buildbot/buildbot_tac.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

// Directories read while looking for build areas, at most.
constexpr int kMaxDirectories = 20000;

using boot_detail::readText;

struct Scan {
  std::set<std::string> areas;
  int budget = kMaxDirectories;
  Clock::time_point deadline;
  bool cut = false;
};

void consider(const std::string& dir, Scan& scan) {
  std::error_code ec;
  if (fs::is_regular_file(dir + "/buildbot.tac", ec)) scan.areas.insert(normalisePath(dir));
}

// DIR/*/buildbot.tac and DIR/*/*/buildbot.tac, hidden directories left out.
void scanHome(const std::string& home, int depth, Scan& scan) {
  std::error_code ec;
  for (fs::directory_iterator it(home, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (--scan.budget < 0 || Clock::now() >= scan.deadline) {
      scan.cut = true;
      return;
    }
    std::string name = it->path().filename();
    std::error_code typeError;
    if (name.empty() || name[0] == '.' || !it->is_directory(typeError) || it->is_symlink(typeError))
      continue;
    consider(it->path(), scan);
    if (depth > 1) scanHome(it->path(), depth - 1, scan);
  }
}

// The build areas crontabs start: /etc/crontab, /etc/cron.d/* (a user field)
// and every user's crontab in Debian's spool (readable by root).
void scanCrontabs(Scan& scan) {
  std::vector<std::pair<std::string, std::string>> tabs;  // path, user ("" = system format)
  tabs.emplace_back("/etc/crontab", "");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/etc/cron.d", ec)) tabs.emplace_back(e.path(), "");
  for (const auto& e : fs::directory_iterator("/var/spool/cron/crontabs", ec))
    tabs.emplace_back(e.path(), e.path().filename());
  for (const auto& [path, owner] : tabs) {
    std::istringstream lines(readText(path));
    std::string line;
    while (std::getline(lines, line)) {
      line = trimmed(line);
      if (line.rfind("@reboot", 0) != 0) continue;
      std::string user = owner;
      if (user.empty()) {
        std::istringstream words(line.substr(7));
        words >> user;
      }
      BootUser as{user, boot_detail::homeOf(user)};
      for (const BootEntry& e : cronBootEntries(line, owner.empty(), as, path))
        consider(e.path, scan);
    }
  }
}

struct Identity {
  std::string name;
  std::string master;  // host:port, "" when unknown
};

std::string masterOf(const BuildbotTac& tac) {
  MasterEndpoint m = masterEndpoint(tac);
  return m.host.empty() ? "" : joinHostPort(m.host, m.port);
}

// How to compare the areas this user cannot read. Not "run bbcheck as
// root": security.not-root tells the same person never to. The worker
// stage (where security.not-root is not) run as root reads every area and
// still rehearses as the worker's user; the worker stays unprivileged.
constexpr const char* kAsRootHint =
    "the worker stage run as root compares them (`sudo bbcheck --stage worker`, with the same "
    "-p and --set; it checks as the worker's user, and the worker itself stays unprivileged)";

struct DuplicateWorkerParams {
  std::string path;
};

Outcome runDuplicateWorker(const DuplicateWorkerParams& params, const ProbeContext& ctx) {
  const std::string& area = params.path;
  std::string error;
  std::optional<BuildbotTac> tac = readBuildbotTac(area + "/buildbot.tac", &error);
  if (!tac) return Outcome::skip("no worker here yet: " + error);
  if (tac->workername.empty())
    return Outcome::error(
        fmt::format("{}/buildbot.tac sets no worker name bbcheck can read "
                    "(computed: {})",
                    area, isComputed(*tac, "workername") ? "yes" : "no"));
  Identity mine{tac->workername, masterOf(*tac)};
  std::vector<std::string> notes;
  std::vector<std::string> areas = otherBuildAreas(area, ctx.deadline, notes);
  Array duplicates, unreadable, notCompared;
  std::vector<std::string> problems;
  for (const std::string& other : areas) {
    std::string why;
    std::optional<BuildbotTac> theirs = readBuildbotTac(other + "/buildbot.tac", &why);
    if (!theirs) {
      // Another user's private area is theirs to keep apart; one of this
      // user's own that cannot be read leaves the question open.
      struct stat st {};
      bool others = ::stat(other.c_str(), &st) == 0 && st.st_uid != ::geteuid();
      (others ? notCompared : unreadable).push_back(why);
      continue;
    }
    if (!theirs->is_worker || theirs->workername != mine.name) continue;
    std::string master = masterOf(*theirs);
    if (!master.empty() && !mine.master.empty() && master != mine.master) continue;
    duplicates.push_back(other);
    problems.push_back(fmt::format("{} is also worker \"{}\"{}", other, mine.name,
                                   master.empty() ? "" : " of " + master));
  }
  int pid = 0;
  std::ifstream pidFile(area + "/twistd.pid");
  pidFile >> pid;
  Array processes;
  for (const WorkerProcess& p : otherWorkerProcesses(area, pid)) {
    processes.push_back(static_cast<int64_t>(p.pid));
    problems.push_back(
        fmt::format("process {} is a second worker for {} (its {})", p.pid, area, p.how));
  }
  Object observed;
  observed["worker"] = mine.name;
  observed["master"] = mine.master;
  observed["areas_compared"] = Array(areas.begin(), areas.end());
  observed["duplicate_areas"] = duplicates;
  observed["duplicate_processes"] = processes;
  if (!unreadable.empty()) observed["unreadable"] = unreadable;
  if (!notCompared.empty()) observed["other_users_areas_not_compared"] = notCompared;
  if (!notes.empty()) observed["notes"] = Array(notes.begin(), notes.end());
  if (!problems.empty())
    return Outcome::fail(
        fmt::format("{}: the master accepts one connection per worker name, so the workers knock "
                    "each other off; give each build area its own name (stop the extra one with "
                    "`buildbot-worker stop DIR` as its user, and remove it or its boot entry) — "
                    "or, for a second process, run `buildbot-worker restart {}`",
                    fmt::join(problems, "; "), area),
        observed);
  if (!unreadable.empty())
    return Outcome::error(
        fmt::format("cannot tell: {} other build area(s) could not be read ({}): {}",
                    unreadable.size(), unreadable.front().toString(), kAsRootHint),
        observed);
  std::string caveat = notCompared.empty()
                           ? ""
                           : fmt::format(" ({} build area(s) of other users could not be read; {})",
                                         notCompared.size(), kAsRootHint);
  return Outcome::pass(fmt::format("worker \"{}\" is the only one of that name here ({} other "
                                   "build area(s) compared) and runs in one process at most{}",
                                   mine.name, areas.size() - notCompared.size(), caveat),
                       observed);
}

}  // namespace

std::vector<std::string> otherBuildAreas(const std::string& area, Clock::time_point deadline,
                                         std::vector<std::string>& notes) {
  Scan scan;
  scan.deadline = deadline;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/var/lib/buildbot/workers", ec))
    consider(e.path(), scan);
  scanCrontabs(scan);
  for (const BootEntry& e : systemdBootEntries("", BootUser{"root", "/root"}))
    consider(e.path, scan);
  std::set<std::string> homes;
  ::setpwent();
  while (passwd* pw = ::getpwent())
    if (pw->pw_dir && std::string(pw->pw_dir) != "/" && fs::is_directory(pw->pw_dir, ec))
      homes.insert(pw->pw_dir);
  ::endpwent();
  for (const std::string& home : homes) {
    consider(home, scan);
    scanHome(home, 2, scan);
  }
  if (scan.cut)
    notes.push_back(
        fmt::format("home directories were searched only partly (at most {} "
                    "directories, within the check's timeout)",
                    kMaxDirectories));
  std::vector<std::string> others;
  std::string self = normalisePath(area);
  for (const std::string& a : scan.areas) {
    std::error_code sameError;
    if (a != self && !fs::equivalent(a, area, sameError)) others.push_back(a);
  }
  return others;
}

ProbeKind duplicateWorkerProbe() {
  return probeKind("duplicate-worker",
                   "no other build area on this host uses this worker name, and no second worker "
                   "process runs this build area",
                   {pathParam("path", &DuplicateWorkerParams::path, "the build area").required()},
                   runDuplicateWorker);
}

}  // namespace bbcheck
