// Finding the workers on this host (see worker_discovery.h). The process
// table is read in worker_discovery_linux.cpp.
#include "probes/buildbot/worker_discovery.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <sstream>

#include "probes/buildbot/boot_crontab.h"
#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/boot_helpers.h"
#include "probes/buildbot/boot_systemd.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

using boot_detail::homeOf;
using boot_detail::readText;

// Build area -> where it was found, in the order found.
class Finds {
 public:
  void add(const std::string& dir, const std::string& how) {
    if (dir.empty() || !holdsBuildbotTac(dir)) return;
    std::vector<std::string>& by = found_[normalisePath(dir)];
    if (std::find(by.begin(), by.end(), how) == by.end()) by.push_back(how);
  }
  std::vector<FoundWorker> sorted() const {
    std::vector<FoundWorker> out;
    for (const auto& [path, by] : found_) out.push_back({path, by});
    return out;
  }

 private:
  std::map<std::string, std::vector<std::string>> found_;
};

void addEntries(const std::vector<BootEntry>& entries, Finds& finds) {
  for (const BootEntry& e : entries) finds.add(e.path, e.source);
}

// /etc/crontab and /etc/cron.d/* name the user on each line; every user
// named on an @reboot line is read for.
void readSystemTabs(const WorkerSearchPlaces& places, Finds& finds) {
  std::vector<std::string> tabs{places.system_crontab};
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(places.cron_d, ec)) tabs.push_back(e.path());
  std::sort(tabs.begin() + 1, tabs.end());
  for (const std::string& path : tabs) {
    std::string text = readText(path);
    std::istringstream lines(text);
    std::string line;
    std::vector<std::string> users;
    while (std::getline(lines, line)) {
      line = trimmed(line);
      if (line.rfind("@reboot", 0) != 0) continue;
      std::istringstream words(line.substr(7));
      std::string user;
      if (words >> user && std::find(users.begin(), users.end(), user) == users.end())
        users.push_back(user);
    }
    for (const std::string& user : users)
      addEntries(cronBootEntries(text, true, BootUser{user, homeOf(user)}, path), finds);
  }
}

// Every user's crontab in cron's spool (Debian: crontabs/USER, cronie:
// cron/USER), readable by root only; the caller's own through `crontab -l`
// when the spool cannot be listed.
void readUserTabs(const WorkerSearchPlaces& places, Clock::time_point deadline, Finds& finds,
                  std::vector<std::string>& notes) {
  bool listed = false;
  for (const std::string& spool : places.spools) {
    std::error_code ec;
    fs::directory_iterator it(spool, ec);
    if (ec) continue;
    listed = true;
    for (const auto& e : it) {
      std::error_code typeError;
      if (!e.is_regular_file(typeError)) continue;
      std::string user = e.path().filename();
      std::string source = "crontab of " + user;
      addEntries(cronBootEntries(readText(e.path()), false, BootUser{user, homeOf(user)}, source),
                 finds);
    }
  }
  if (listed) return;
  passwd* me = ::getpwuid(::geteuid());
  if (!me) return;
  boot_detail::Sources own;
  boot_detail::readUserCrontab(BootUser{me->pw_name, me->pw_dir ? me->pw_dir : ""}, true, deadline,
                               own);
  addEntries(own.entries, finds);
  for (const auto& note : own.notes) notes.push_back(note.toString());
  if (::geteuid() != 0)
    notes.push_back(
        "other users' crontabs were not read (the worker stage run as root reads them: `sudo "
        "bbcheck --stage worker`)");
}

// The tac a twistd command line runs: -y FILE / --python=FILE, else
// buildbot.tac in its working directory.
std::string twistdArea(const std::string& command, const std::string& cwd) {
  std::istringstream in(command);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (words.empty()) return "";
  std::string program = baseName(words[0]);
  if (program != "twistd" && program != "twistd3") return "";
  for (size_t i = 1; i < words.size(); ++i) {
    std::string tac;
    if ((words[i] == "-y" || words[i] == "--python") && i + 1 < words.size()) tac = words[i + 1];
    if (words[i].rfind("--python=", 0) == 0) tac = words[i].substr(9);
    if (tac.empty()) continue;
    fs::path p = fs::path(cwd) / tac;
    return p.parent_path().string();
  }
  return cwd;
}

// Enabled units running a bare twistd (buildbot-worker ones come from the
// boot probe's reader, systemdBootEntries).
void readTwistdUnits(const std::string& root, Finds& finds) {
  std::error_code ec;
  for (const auto& wants : fs::directory_iterator(root + "/etc/systemd/system", ec)) {
    std::string ext = wants.path().extension();
    if (ext != ".wants" && ext != ".requires") continue;
    std::error_code inner;
    for (const auto& e : fs::directory_iterator(wants.path(), inner)) {
      std::string unit = e.path().filename();
      if (e.path().extension() != ".service") continue;
      std::vector<boot_detail::UnitSetting> settings;
      if (!boot_detail::readServiceSettings(root, unit, settings)) continue;
      std::string user, cwd = "/";
      std::vector<std::string> starts;
      for (const auto& [key, value] : settings) {
        if (key == "User") user = value;
        if (key == "WorkingDirectory") cwd = value;
        if (key == "ExecStart") value.empty() ? starts.clear() : starts.push_back(value);
      }
      std::string home = homeOf(user.empty() ? "root" : user);
      cwd = boot_detail::unitSpecifiers(cwd, unit, user, home);
      if (!cwd.empty() && cwd[0] == '-') cwd.erase(0, 1);
      if (cwd == "~") cwd = home;
      for (std::string start : starts) {
        start = boot_detail::unitSpecifiers(start, unit, user, home);
        start.erase(0, start.find_first_not_of("-@:+!"));
        std::string area = twistdArea(start, cwd);
        std::string source =
            fmt::format("systemd unit {} (enabled in {})", unit, wants.path().filename().string());
        if (!area.empty()) finds.add(area, source);
      }
    }
  }
}

}  // namespace

bool holdsBuildbotTac(const std::string& dir) {
  struct stat st {};
  std::string tac = dir + "/buildbot.tac";
  if (::stat(tac.c_str(), &st) == 0) return S_ISREG(st.st_mode);
  return errno != ENOENT && errno != ENOTDIR;
}

WorkerSearch findWorkers(Clock::time_point deadline, const WorkerSearchPlaces& places) {
  WorkerSearch search;
  Finds finds;
  readSystemTabs(places, finds);
  readUserTabs(places, deadline, finds, search.notes);
  addEntries(systemdBootEntries(places.systemd_root, BootUser{"root", "/root"}), finds);
  readTwistdUnits(places.systemd_root, finds);
  if (places.processes)
    for (const RunningWorker& w : runningWorkers())
      finds.add(w.area, fmt::format("running {} (pid {})", w.program, w.pid));
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(places.debian_workers, ec))
    finds.add(e.path(), places.debian_workers + "/");
  search.workers = finds.sorted();
  return search;
}

}  // namespace bbcheck
