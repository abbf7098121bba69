// The buildarea probe's registration, its shared helpers and the tac aspect:
// buildbot.tac as the worker will load it.
#include "probes/worker/buildarea.h"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "probes/buildbot/tac_syntax.h"
#include "probes/buildbot/tac_worker_call.h"
#include "probes/param_binding.h"
#include "probes/utf8_text.h"
#include "probes/worker/buildarea_common.h"
#include "probes/worker/buildarea_info.h"
#include "probes/worker/buildarea_ownership.h"
#include "probes/worker/buildarea_settings.h"
#include "probes/worker/rehearsal_session.h"

namespace bbcheck {

std::string octalMode(unsigned mode) {
  return fmt::format("{:04o}", mode & 07777);
}

namespace buildarea_detail {

std::string asWorker(const std::string& command, const Account& who) {
  if (::geteuid() == 0 && who.uid != 0) {
    return fmt::format("runuser -u {} -- {}", who.name, command);
  }
  return command;
}

std::string createFix(const std::string& area, const Account& who) {
  return fmt::format(
      "create it with `{}`",
      asWorker(
          fmt::format("buildbot-worker create-worker {} MASTER:PORT WORKERNAME PASSWORD", area),
          who));
}

std::optional<BuildbotTac> loadTac(const std::string& area, const Account& who, Outcome* problem) {
  std::string file = area + "/buildbot.tac";
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      *problem = Outcome::fail(fmt::format("{} does not exist: {}", file, createFix(area, who)),
                               obj({{"file", file}, {"exists", false}}));
    } else {
      *problem = Outcome::error(fmt::format("cannot stat {}: {}", file, std::strerror(errno)));
    }
    return std::nullopt;
  }
  std::string error;
  std::optional<BuildbotTac> tac = readBuildbotTac(file, &error);
  if (!tac) *problem = Outcome::error(error);
  return tac;
}

}  // namespace buildarea_detail

using namespace buildarea_detail;

std::string otherReader(const std::string& file, const Account& owner, std::string* why) {
  // Every account but the owner and root (root reads everything anyway), and
  // a user the passwd database does not list (only "other" bits apply).
  std::vector<Account> others;
  {
    static std::mutex passwdWalk;  // getpwent's position is process-wide
    std::lock_guard<std::mutex> lock(passwdWalk);
    ::setpwent();
    for (int n = 0; n < 10000; ++n) {
      passwd* pw = ::getpwent();
      if (!pw) break;
      if (pw->pw_uid == 0 || pw->pw_uid == owner.uid) continue;
      others.push_back(accountByUid(pw->pw_uid));
    }
    ::endpwent();
  }
  Account stranger;
  stranger.name = "other users";
  stranger.uid = static_cast<uid_t>(-2);
  stranger.gid = static_cast<gid_t>(-2);
  std::string strangerProblem = accessProblem(file, stranger, R_OK);
  if (strangerProblem.empty()) return "any other user";
  for (const Account& a : others) {
    if (accessProblem(file, a, R_OK).empty()) return a.name;
  }
  *why = strangerProblem;
  return "";
}

namespace {

// What the worker itself refuses before it ever connects.
void judgeAsTheWorkerLoadsIt(const std::string& area, const std::string& file,
                             const std::string& text, const BuildbotTac& tac,
                             const ProgramLimit& limit, Object& observed,
                             std::vector<std::string>& problems, std::string* undecided,
                             bool* outOfTime) {
  if (text.find(kWorkerDirMarker) == std::string::npos) {
    problems.push_back(fmt::format(
        "buildbot-worker refuses to start: \"unexpected content in '{}' / invalid worker "
        "directory '{}'\" ({} lacks the line `application = service.Application('buildbot-"
        "worker')`)",
        file, area, file));
  }
  std::string how;
  std::string python = workerPython(&how);
  if (python.empty()) {
    *undecided = fmt::format("cannot compile {}: {}, and no python3 either", file, how);
    return;
  }
  observed["python"] = python;
  TacSyntax syntax = compileTac(file, python, limit);
  if (!syntax.decided) {
    *undecided = syntax.problem;
    *outOfTime = syntax.timed_out;
    return;
  }
  observed["compiles"] = syntax.ok;
  if (!syntax.ok) {
    std::string where =
        syntax.line > 0 ? fmt::format(", line {}, column {}", syntax.line, syntax.column) : "";
    problems.push_back(
        fmt::format("{}{}: {} — the worker's Python ({}, from {}) cannot load "
                    "it, so the worker does not start",
                    file, where, escapedText(syntax.message), python, how));
    return;
  }
  WorkerRefusal refusal = workerRefusal(text, tac);
  if (!refusal.reason.empty()) {
    problems.push_back(fmt::format("the worker refuses {} (line {}): \"{}\" — {}", file,
                                   refusal.line, escapedText(refusal.reason), refusal.detail));
  }
}

// Mode and owner: the password must reach the worker's user and nobody else.
void judgePrivacy(const std::string& file, const struct stat& st, const Account& who,
                  Object& observed, std::vector<std::string>& problems) {
  if ((st.st_mode & 077) != 0) {
    std::string why;
    std::string reader = otherReader(file, accountByUid(st.st_uid), &why);
    if (!reader.empty()) {
      problems.push_back(fmt::format(
          "{} has mode {} and {} can read it (it holds the worker password): run `chmod 600 {}`",
          file, octalMode(st.st_mode), reader, file));
    } else {
      observed["mode_note"] =
          fmt::format("mode {} but no other user can reach it: {}", octalMode(st.st_mode), why);
    }
  }
  if (hasAcl(file)) {
    problems.push_back(fmt::format(
        "{} carries a POSIX ACL that may let other users read the password: run `setfacl -b {}`",
        file, file));
  }
  if (st.st_uid != who.uid && who.uid != 0) {
    problems.push_back(
        fmt::format("{} is owned by {}, not by the worker's user {}: as root, run `chown {} {}`",
                    file, userNameOf(st.st_uid), who.name, who.name, file));
  }
}

}  // namespace

Outcome checkBuildAreaTac(const std::string& area, const Account& who, const ProgramLimit& limit) {
  std::string file = area + "/buildbot.tac";
  struct stat st;
  if (::stat(area.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Outcome::fail(fmt::format("build area {} does not exist or is not a directory: {}", area,
                                     createFix(area, who)),
                         obj({{"path", area}, {"exists", false}}));
  }
  if (::stat(file.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return Outcome::error(fmt::format("cannot stat {}: {}", file, std::strerror(errno)));
    return Outcome::fail(fmt::format("{} does not exist: {}", file, createFix(area, who)),
                         obj({{"file", file}, {"exists", false}}));
  }
  if (!S_ISREG(st.st_mode)) {
    return Outcome::fail(fmt::format("{} is not a regular file", file), obj({{"file", file}}));
  }
  // bbcheck may be root: what decides is whether the worker's user gets
  // there (rehearsal_session.h).
  std::string unreachable = workerCannotReach(who, area, "buildbot.tac", limit.latestEnd());
  if (!unreachable.empty())
    return Outcome::fail(
        fmt::format("the worker's user {} cannot read {}: {}", who.name, file, unreachable),
        obj({{"file", file}, {"worker_user", who.name}, {"readable_by_worker", false}}));
  Object observed = obj({{"file", file},
                         {"mode", octalMode(st.st_mode)},
                         {"owner", userNameOf(st.st_uid)},
                         {"uid", static_cast<int64_t>(st.st_uid)},
                         {"worker_user", who.name}});
  Object expected = obj({{"mode", "0600 (or unreachable by others)"}, {"owner", who.name}});
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Outcome::error(fmt::format("cannot read {}: {}", file, std::strerror(errno)), observed);
  }
  std::ostringstream textStream;
  textStream << in.rdbuf();
  std::string text = textStream.str();
  BuildbotTac tac = parseBuildbotTac(text);
  for (auto& [key, value] : tacObserved(tac)) observed[key] = value;

  std::vector<std::string> problems;
  std::string undecided;
  bool outOfTime = false;
  judgeAsTheWorkerLoadsIt(area, file, text, tac, limit, observed, problems, &undecided, &outOfTime);
  judgePrivacy(file, st, who, observed, problems);
  if (tac.is_master) {
    problems.push_back(fmt::format("{} is a buildmaster's buildbot.tac, not a worker's", file));
  } else if (!tac.is_worker) {
    problems.push_back(
        fmt::format("{} is not a worker's buildbot.tac (it never mentions buildbot_worker)", file));
  }
  std::vector<std::string> missing;
  bool hasMaster = !tac.master_host.empty() || !tac.connection_string.empty() ||
                   isComputed(tac, "buildmaster_host") || isComputed(tac, "connection_string");
  if (!hasMaster) missing.push_back("buildmaster_host or connection_string");
  if (!tac.master_host.empty() && !tac.port && !isComputed(tac, "port")) missing.push_back("port");
  if (tac.workername.empty() && !isComputed(tac, "workername")) missing.push_back("workername");
  if (!tac.has_password) missing.push_back("passwd");
  if (!missing.empty()) {
    problems.push_back(fmt::format("{} sets no {}: re-create it with `{}`", file,
                                   join(missing, ", "),
                                   asWorker("buildbot-worker create-worker --force ...", who)));
  }
  if (!problems.empty()) return Outcome::fail(join(problems, "; "), observed, expected);
  if (!undecided.empty()) {
    Outcome error = Outcome::error(undecided, observed);
    if (outOfTime) error.fix = outOfTimeFix();  // not "create-worker": the tac is there
    return error;
  }

  MasterEndpoint ep = masterEndpoint(tac);
  std::string master = ep.host.empty() ? tac.connection_string : joinHostPort(ep.host, ep.port);
  std::string worker = tac.workername.empty() ? "(computed)" : tac.workername;
  std::string note = observed.contains("mode_note") ? "; " + observed["mode_note"].toString() : "";
  return Outcome::pass(fmt::format("{}: worker {} connects to {}, compiles, mode {}, owner {}{}",
                                   file, escapedText(worker), escapedText(master),
                                   octalMode(st.st_mode), userNameOf(st.st_uid), note),
                       observed, expected);
}

namespace {

struct BuildAreaParams {
  std::string path = "${buildarea}";  // a profile var: the profile layer substitutes it
  std::string aspect = "tac";
  std::string user;  // "": who runs bbcheck, or for root the build area's owner
  int64_t keepalive = 60;
};

Outcome runBuildArea(const BuildAreaParams& params, const ProbeContext& ctx) {
  const std::string& area = params.path;
  if (area.empty()) return Outcome::error("the build area path is empty");
  std::optional<Account> who = workerAccount(area, params.user);
  if (!who) return Outcome::error(fmt::format("no such user: {}", params.user));
  const std::string& aspect = params.aspect;
  if (aspect == "info") return checkBuildAreaInfo(area, *who);
  if (aspect == "ownership") return checkBuildAreaOwnership(area, *who, ctx.deadline);
  if (aspect == "keepalive") return checkBuildAreaKeepalive(area, *who, params.keepalive);
  if (aspect == "leftover") return checkBuildAreaLeftover(area, *who);
  return checkBuildAreaTac(area, *who, ctx);
}

}  // namespace

ProbeKind buildareaProbe() {
  return probeKind(
      "buildarea",
      "a worker's build area: buildbot.tac (as Python and the worker load it, mode, owner), info "
      "files, ownership, keepalive",
      {pathParam("path", &BuildAreaParams::path, "the build area (BUILDAREA of create-worker)"),
       stringParam("aspect", &BuildAreaParams::aspect,
                   "what to check: tac, info, ownership, keepalive or leftover")
           .oneOf({"tac", "info", "ownership", "keepalive", "leftover"}),
       stringParam(
           "user", &BuildAreaParams::user,
           "the worker's user (default: who runs bbcheck, or for root the build area's owner)"),
       intParam("keepalive", &BuildAreaParams::keepalive,
                "expected keepalive in seconds (aspect keepalive)")},
      runBuildArea);
}

}  // namespace bbcheck
