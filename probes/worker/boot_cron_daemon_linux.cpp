// Linux: running processes and PID 1 from /proc; enabled services from /etc.
#include <dirent.h>
#include <fmt/format.h>
#include <glob.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "probes/worker/boot_cron_daemon.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

// Process names of cron daemons that run @reboot lines (Debian's cron,
// cronie, busybox and dcron's crond, fcron). anacron does not.
bool isCronDaemon(const std::string& comm) {
  return comm == "cron" || comm == "crond" || comm == "fcron";
}

std::string firstLineOfFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// A live (not zombie) process's name from PROC/PID/stat; "" otherwise.
std::string liveComm(const std::string& procRoot, const std::string& pid) {
  std::string stat = firstLineOfFile(procRoot + "/" + pid + "/stat");
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  if (close + 2 < stat.size() && (stat[close + 2] == 'Z' || stat[close + 2] == 'X')) return "";
  return stat.substr(open + 1, close - open - 1);
}

std::string runningCron(const std::string& procRoot) {
  DIR* d = ::opendir(procRoot.c_str());
  if (!d) return "";
  std::string found;
  while (dirent* e = ::readdir(d)) {
    std::string pid = e->d_name;
    if (pid.empty() || !std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    std::string comm = liveComm(procRoot, pid);
    if (isCronDaemon(comm)) {
      found = fmt::format("{} is running (PID {})", comm, pid);
      break;
    }
  }
  ::closedir(d);
  return found;
}

const char* const kCronUnits[] = {"cron.service", "crond.service", "cronie.service",
                                  "fcron.service", "busybox-cron.service"};

// A unit masked in /etc (`systemctl mask`: a link to /dev/null, or an empty
// file) never starts, whatever wants it.
bool masked(const std::string& etcRoot, const std::string& unit) {
  fs::path p = fs::path(etcRoot) / "systemd/system" / unit;
  std::error_code ec;
  if (fs::is_symlink(p, ec)) return fs::read_symlink(p, ec) == "/dev/null";
  return fs::is_regular_file(p, ec) && fs::file_size(p, ec) == 0;
}

// How systemd starts a cron unit at boot, or "". A cron unit enabled but
// masked goes in `maskedUnit`.
std::string systemdEnabledCron(const std::string& etcRoot, std::string* maskedUnit) {
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(etcRoot + "/systemd/system", ec)) {
    std::string ext = dir.path().extension();
    if (ext != ".wants" && ext != ".requires") continue;
    for (const char* unit : kCronUnits) {
      if (!fs::exists(dir.path() / unit, ec)) continue;
      if (masked(etcRoot, unit)) {
        *maskedUnit = unit;
        continue;
      }
      return fmt::format("systemd (PID 1) starts {} at boot ({} is enabled in {})", unit, unit,
                         dir.path().filename().string());
    }
  }
  return "";
}

// Where Debian's and other distributions' cron packages put the daemon. A
// package removed but not purged leaves its init script and rc links, and
// the script then exits quietly (`test -x $DAEMON || exit 0`).
const char* const kCronDaemons[] = {"/usr/sbin/cron", "/usr/sbin/crond", "/usr/bin/crond",
                                    "/usr/sbin/fcron"};

bool cronDaemonInstalled() {
  for (const char* path : kCronDaemons) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && ::access(path, X_OK) == 0) return true;
  }
  return false;
}

std::string sysvEnabledCron(const std::string& etcRoot) {
  for (const char* level : {"2", "3", "4", "5"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(etcRoot + "/rc" + level + ".d", ec)) {
      std::string name = e.path().filename();
      if (name.size() > 3 && name[0] == 'S' && (name.find("cron") != std::string::npos) &&
          name.find("anacron") == std::string::npos) {
        return fmt::format("sysvinit (PID 1) starts cron at boot ({})", e.path().string());
      }
    }
  }
  return "";
}

}  // namespace

CronAtBoot cronAtBoot(const std::string& procRoot, const std::string& etcRoot) {
  CronAtBoot c;
  c.init = liveComm(procRoot, "1");
  if (std::string running = runningCron(procRoot); !running.empty()) {
    c.will_run = true;
    c.how = running;
    return c;
  }
  std::string init = c.init.empty() ? "unknown" : c.init;
  if (c.init == "systemd") {
    std::string maskedUnit;
    c.how = systemdEnabledCron(etcRoot, &maskedUnit);
    c.will_run = !c.how.empty();
    if (!c.will_run && !maskedUnit.empty()) {
      std::string link = fmt::format("{}/systemd/system/{}", etcRoot, maskedUnit);
      std::error_code ec;
      std::string target = fs::is_symlink(link, ec) ? " -> /dev/null" : ", an empty file";
      c.how = fmt::format(
          "no cron daemon is running and systemd (PID 1) will not start {} at boot: it is "
          "masked ({}{}): `systemctl unmask {} && systemctl enable --now {}`",
          maskedUnit, link, target, maskedUnit, maskedUnit);
    } else if (!c.will_run) {
      c.how =
          "no cron daemon is running and systemd (PID 1) enables no cron unit: "
          "`systemctl enable --now cron`";
    }
    return c;
  }
  if (c.init == "init") {
    c.how = sysvEnabledCron(etcRoot);
    c.will_run = !c.how.empty();
    if (c.will_run && !cronDaemonInstalled()) {
      c.will_run = false;
      c.how = fmt::format(
          "no cron daemon is running, and although {}, no cron daemon is installed "
          "(none of /usr/sbin/cron, /usr/sbin/crond, /usr/bin/crond, /usr/sbin/fcron is an "
          "executable file; a cron package removed but not purged leaves its links): "
          "`apt-get install cron`",
          c.how);
    } else if (!c.will_run) {
      c.how =
          "no cron daemon is running and sysvinit (PID 1) has no S??cron link in "
          "/etc/rc[2-5].d: `update-rc.d cron enable && service cron start`";
    }
    return c;
  }
  c.how = fmt::format(
      "no cron daemon is running and PID 1 is `{}`, neither systemd nor sysvinit (a container?): "
      "nothing starts cron at boot, so no @reboot line runs; start the worker from the "
      "container's entry point, or run cron there",
      init);
  return c;
}

}  // namespace bbcheck
