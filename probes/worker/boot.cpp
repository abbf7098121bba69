// The `boot` probe: collects crontab and systemd boot entries for the build
// area and judges whether one of them restarts the worker on boot.
#include "probes/worker/boot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "probes/buildbot/boot_crontab.h"
#include "probes/buildbot/boot_sources.h"
#include "probes/buildbot/boot_systemd.h"
#include "probes/param_binding.h"
#include "probes/service_environment.h"
#include "probes/worker/boot_cron_daemon.h"
#include "probes/worker/boot_runnable.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

using boot_detail::Sources;

bool isSystemd(const BootEntry& e) {
  return e.source.rfind("systemd", 0) == 0;
}

bool samePath(const std::string& a, const std::string& b) {
  if (a == b) return true;
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

std::string describe(const BootEntry& e) {
  return fmt::format("{} runs `buildbot-worker {}{}`", e.source,
                     e.action.empty() ? "" : e.action + " ", e.path);
}

// Debian's buildbot-worker@NAME.service serves /var/lib/buildbot/workers/NAME.
std::string systemdFix(const std::string& area) {
  fs::path p(area);
  if (p.parent_path() == "/var/lib/buildbot/workers") {
    return fmt::format("`systemctl enable --now buildbot-worker@{}.service`",
                       p.filename().string());
  }
  return "`systemctl enable --now buildbot-worker@NAME.service` (Debian's unit, for a build area "
         "in /var/lib/buildbot/workers/NAME)";
}

// A shell that refuses logins: nobody can become the user to run a command.
bool noLoginShell(const std::string& name) {
  passwd* pw = ::getpwnam(name.c_str());
  if (!pw || !pw->pw_shell || !*pw->pw_shell) return false;
  std::string shell = fs::path(pw->pw_shell).filename();
  return shell == "false" || shell == "nologin" || shell == "true";
}

// The crontab command for `user`: `crontab -e` as that user, or for root
// editing another user's crontab `crontab -u USER -e`. A user without a
// login shell (Debian's `buildbot`) cannot be become to run it: root edits
// the user's crontab.
std::string crontabEdit(const BootUser& user) {
  passwd* me = ::getpwuid(::geteuid());
  if (me && user.name != me->pw_name) return fmt::format("`crontab -u {} -e`", user.name);
  if (noLoginShell(user.name) && user.name != "root")
    return fmt::format("`crontab -u {} -e` run as root ({} has no login shell)", user.name,
                       user.name);
  return fmt::format("`crontab -e` as {}", user.name);
}

// With no cron daemon at boot an @reboot line never runs: cron comes first.
std::string noCronFix(const CronAtBoot& cron, const std::string& cronLine, const BootUser& user,
                      const std::string& systemd) {
  return fmt::format(
      "No cron daemon will run at boot here ({}), so no crontab line starts the worker. Either "
      "run the worker from a systemd unit: {}; or install and start a cron daemon and make it "
      "start at boot (`apt-get install cron`, then `systemctl enable --now cron`; in a container, "
      "start `cron` from its entrypoint), then add `{}` with {}.",
      cron.how, systemd, cronLine, crontabEdit(user));
}

Outcome judge(const Sources& s, const std::string& area, const BootUser& user,
              Clock::time_point deadline) {
  Array entries;
  CronAtBoot cron = cronAtBoot();
  Object observed = objectOf(
      {{"user", user.name}, {"read", s.read}, {"init", cron.init}, {"cron_at_boot", cron.how}});
  if (!s.notes.empty()) observed["notes"] = s.notes;
  Object expected = objectOf({{"path", area}, {"action", "restart"}});
  std::string target = normalisePath(area);
  const BootEntry* good = nullptr;
  const BootEntry* start = nullptr;
  std::vector<std::string> elsewhere, broken, startProblems;
  for (const BootEntry& e : s.entries) {
    std::vector<std::string> problems;
    bool here = samePath(e.path, target);
    if (here) problems = bootEntryProblems(e, target, cron);
    Object entry = objectOf({{"source", e.source},
                             {"action", e.action},
                             {"path", e.path},
                             {"program", e.program},
                             {"user", e.user}});
    if (!problems.empty()) entry["problems"] = Array(problems.begin(), problems.end());
    entries.push_back(entry);
    if (!here) {
      elsewhere.push_back(describe(e));
      continue;
    }
    bool supervised = isSystemd(e) && (e.action == "start" || e.action == "restart");
    if (!start && e.action == "start" && !supervised) {
      start = &e;  // wrong whatever else is: said first, with the rest
      startProblems = problems;
    }
    if (!problems.empty()) {
      broken.push_back(fmt::format("{}, but {}", describe(e), fmt::join(problems, "; ")));
      continue;
    }
    if (!good && (e.action == "restart" || supervised)) good = &e;
  }
  observed["entries"] = entries;
  if (good && !isSystemd(*good)) {
    // cron opens its PAM session for each job: a refused account never
    // runs its @reboot line, however right the line is.
    std::vector<std::string> pamNotes;
    std::string refusal = cronSessionRefusal(good->user, deadline, pamNotes);
    if (!pamNotes.empty()) observed["pam_notes"] = Array(pamNotes.begin(), pamNotes.end());
    if (!refusal.empty()) {
      observed["pam_refusal"] = refusal;
      return Outcome::fail(
          fmt::format("{}, but cron never runs it: {}; see why with `chage -l {}` (an expired "
                      "account: `chage -E -1 {}`) and the rules in /etc/pam.d/cron",
                      describe(*good), refusal, good->user, good->user),
          observed, expected);
    }
  }
  if (good) {
    std::string how = isSystemd(*good) ? "" : fmt::format(" ({})", cron.how);
    return Outcome::pass(fmt::format("the worker starts on boot: {}{}", describe(*good), how),
                         observed, expected);
  }
  std::string cronLine = fmt::format("@reboot buildbot-worker restart {}", area);
  std::string notes;
  for (const auto& note : s.notes) notes += "; note: " + note.toString();
  if (start) {
    // twistd's checkPID: `start` exits ("Another twistd server is running")
    // only when twistd.pid names a PID in use; a dead one it removes.
    Outcome out = Outcome::fail(
        fmt::format(
            "{} at boot: `start` refuses to run when a twistd.pid left by an unclean "
            "shutdown names a PID that is in use again at boot (twistd: \"Another twistd "
            "server is running\"); change it to `{}` with {}{}{}",
            describe(*start), cronLine, crontabEdit(user),
            startProblems.empty() ? "" : fmt::format("; also: {}", fmt::join(startProblems, "; ")),
            notes),
        observed, expected);
    out.fix = cron.will_run || isSystemd(*start)
                  ? fmt::format("Change the line to `{}` with {}.", cronLine, crontabEdit(user))
                  : noCronFix(cron, cronLine, user, systemdFix(target));
    return out;
  }
  if (!broken.empty()) {
    Outcome out =
        Outcome::fail(fmt::format("{}{}", fmt::join(broken, "; "), notes), observed, expected);
    if (!cron.will_run) out.fix = noCronFix(cron, cronLine, user, systemdFix(target));
    return out;
  }
  if (s.crontab_unreadable) {
    return Outcome::error(
        fmt::format("cannot tell whether the worker starts on boot: {}", s.crontab_error),
        observed);
  }
  std::string others;
  if (!elsewhere.empty()) others = fmt::format(" (found only: {})", fmt::join(elsewhere, "; "));
  if (!cron.will_run) {
    Outcome out = Outcome::fail(
        fmt::format("nothing starts the worker in {} on boot{}, and no cron daemon will run at "
                    "boot ({}): run {}, or start cron and enable it at boot before adding `{}` "
                    "with {}{}",
                    area, others, cron.how, systemdFix(target), cronLine, crontabEdit(user), notes),
        observed, expected);
    out.fix = noCronFix(cron, cronLine, user, systemdFix(target));
    return out;
  }
  Outcome out = Outcome::fail(
      fmt::format("nothing starts the worker in {} on boot{}: add `{}` with {}, or run {}{}", area,
                  others, cronLine, crontabEdit(user), systemdFix(target), notes),
      observed, expected);
  out.fix = fmt::format("Add `{}` to {}'s crontab with {}, or run {}.", cronLine, user.name,
                        crontabEdit(user), systemdFix(target));
  return out;
}

Outcome runBoot(const BootSourceParams& params, const ProbeContext& ctx) {
  const std::string& area = params.path;
  passwd* me = ::getpwuid(::geteuid());
  std::string myName = me ? me->pw_name : std::to_string(::geteuid());
  BootUser user{params.user, ""};
  if (user.name.empty()) user.name = myName;
  passwd* pw = ::getpwnam(user.name.c_str());
  if (!pw) return Outcome::error(fmt::format("no such user: {}", user.name));
  user.home = pw->pw_dir ? pw->pw_dir : "/";
  Sources s;
  boot_detail::readUserCrontab(user, user.name == myName, ctx, s);
  boot_detail::readSystemCrontabs(user, s);
  boot_detail::readSystemd(area, user, ctx.deadline, s);
  return judge(s, area, user, ctx.deadline);
}

}  // namespace

ProbeKind bootProbe() {
  return probeKind(
      "boot", "the worker starts on boot (cron @reboot ... restart, or an enabled systemd unit)",
      bootSourceParams(), runBoot);
}

}  // namespace bbcheck
