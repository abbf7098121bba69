#include "probes/worker/buildarea.h"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "probes/worker/buildbot_tac.h"
#include "probes/registry.h"

namespace bbcheck {

const char* const kInfoAdminTemplate = "Your Name Here <admin@youraddress.invalid>";
const char* const kInfoHostTemplate = "Please put a description of this build host here";

std::string octalMode(unsigned mode) {
  return fmt::format("{:04o}", mode & 07777);
}

namespace {

// Poco 1.11's DynamicStruct has no initializer-list constructor.
Object obj(std::map<std::string, Value> fields) {
  return Object(fields);
}

std::string userName(uid_t uid) {
  if (passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return "uid " + std::to_string(uid);
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

std::string createFix(const std::string& area) {
  return fmt::format(
      "create it with `buildbot-worker create-worker {} MASTER:PORT WORKERNAME PASSWORD`", area);
}

// Loads buildbot.tac for the aspects that only read settings. A missing file
// is a decided "not ready" (fail); an unreadable one is an error.
std::optional<BuildbotTac> loadTac(const std::string& area, Outcome* problem) {
  std::string file = area + "/buildbot.tac";
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      *problem = Outcome::fail(fmt::format("{} does not exist: {}", file, createFix(area)),
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

// First line of a small text file, trimmed; nullopt when it cannot be read.
std::optional<std::string> readFirstLine(const std::string& path, std::string* whole, int* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = errno;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  *whole = text.str();
  std::string line;
  std::istringstream lines(*whole);
  while (std::getline(lines, line)) {
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
    return line.size() > 120 ? line.substr(0, 117) + "..." : line;
  }
  return std::string();
}

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Checks one info file; returns the problem ("" when fine) and records what
// it holds in `observed`. Sets *undecided when the file cannot be read.
std::string checkInfoFile(const std::string& area, const std::string& name, const char* templ,
                          const char* whatToWrite, Object& observed, bool* undecided) {
  std::string path = area + "/info/" + name;
  std::string whole;
  int error = 0;
  std::optional<std::string> first = readFirstLine(path, &whole, &error);
  if (!first) {
    observed[name] = Value();
    if (error == ENOENT || error == ENOTDIR) {
      return fmt::format("{} is missing: write {} into it", path, whatToWrite);
    }
    *undecided = true;
    return fmt::format("cannot read {}: {}", path, std::strerror(error));
  }
  observed[name] = *first;
  if (trimmed(whole).empty())
    return fmt::format("{} is empty: write {} into it", path, whatToWrite);
  if (whole.find(templ) != std::string::npos) {
    return fmt::format("{} still holds the template text \"{}\": replace it with {}", path, templ,
                       whatToWrite);
  }
  return "";
}

}  // namespace

Outcome checkBuildAreaTac(const std::string& area) {
  std::string file = area + "/buildbot.tac";
  struct stat st;
  if (::stat(area.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Outcome::fail(fmt::format("build area {} does not exist or is not a directory: {}", area,
                                     createFix(area)),
                         obj({{"path", area}, {"exists", false}}));
  }
  if (::stat(file.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return Outcome::error(fmt::format("cannot stat {}: {}", file, std::strerror(errno)));
    return Outcome::fail(fmt::format("{} does not exist: {}", file, createFix(area)),
                         obj({{"file", file}, {"exists", false}}));
  }
  if (!S_ISREG(st.st_mode)) {
    return Outcome::fail(fmt::format("{} is not a regular file", file), obj({{"file", file}}));
  }
  uid_t me = ::geteuid();
  Object observed = obj({{"file", file},
                         {"mode", octalMode(st.st_mode)},
                         {"owner", userName(st.st_uid)},
                         {"uid", static_cast<int64_t>(st.st_uid)}});
  Object expected = obj({{"mode", "0600"}, {"owner", userName(me)}});
  std::vector<std::string> problems;
  // Group or others may not read it: it holds the worker's password.
  if ((st.st_mode & 077) != 0) {
    problems.push_back(fmt::format(
        "{} has mode {}, expected 0600 (it holds the worker password): run `chmod 600 {}`", file,
        octalMode(st.st_mode), file));
  }
  if (st.st_uid != me) {
    problems.push_back(
        fmt::format("{} is owned by {} (uid {}), not by {} who runs the check: run `chown {} {}`",
                    file, userName(st.st_uid), st.st_uid, userName(me), userName(me), file));
  }
  std::string error;
  std::optional<BuildbotTac> tac = readBuildbotTac(file, &error);
  if (!tac) return Outcome::error(error, observed);
  for (auto& [key, value] : tacObserved(*tac)) observed[key] = value;

  if (tac->is_master) {
    problems.push_back(fmt::format("{} is a buildmaster's buildbot.tac, not a worker's", file));
  } else if (!tac->is_worker) {
    problems.push_back(
        fmt::format("{} is not a worker's buildbot.tac (it never mentions buildbot_worker)", file));
  }
  std::vector<std::string> missing;
  bool hasMaster = !tac->master_host.empty() || !tac->connection_string.empty() ||
                   isComputed(*tac, "buildmaster_host") || isComputed(*tac, "connection_string");
  if (!hasMaster) missing.push_back("buildmaster_host or connection_string");
  if (!tac->master_host.empty() && !tac->port && !isComputed(*tac, "port"))
    missing.push_back("port");
  if (tac->workername.empty() && !isComputed(*tac, "workername")) missing.push_back("workername");
  if (!tac->has_password) missing.push_back("passwd");
  if (!missing.empty()) {
    problems.push_back(
        fmt::format("{} sets no {}: re-create it with `buildbot-worker create-worker`", file,
                    join(missing, ", ")));
  }
  if (!problems.empty()) return Outcome::fail(join(problems, "; "), observed, expected);

  MasterEndpoint ep = masterEndpoint(*tac);
  std::string master = ep.host.empty() ? tac->connection_string : joinHostPort(ep.host, ep.port);
  std::string worker = tac->workername.empty() ? "(computed)" : tac->workername;
  return Outcome::pass(fmt::format("{}: worker {} connects to {}, mode {}, owner {}", file, worker,
                                   master, octalMode(st.st_mode), userName(st.st_uid)),
                       observed, expected);
}

Outcome checkBuildAreaInfo(const std::string& area) {
  Object observed;
  std::vector<std::string> problems;
  bool undecided = false;
  std::string admin = checkInfoFile(area, "admin", kInfoAdminTemplate,
                                    "the admin's name and contact (an obfuscated e-mail is fine)",
                                    observed, &undecided);
  std::string host = checkInfoFile(area, "host", kInfoHostTemplate,
                                   "a description of this host (OS, CPU, memory, virtualisation)",
                                   observed, &undecided);
  if (!admin.empty()) problems.push_back(admin);
  if (!host.empty()) problems.push_back(host);
  Object expected = obj({{"differs_from", Array{kInfoAdminTemplate, kInfoHostTemplate}}});
  if (undecided) return Outcome::error(join(problems, "; "), observed);
  if (!problems.empty()) return Outcome::fail(join(problems, "; "), observed, expected);
  return Outcome::pass(fmt::format("{}/info: admin \"{}\", host \"{}\"", area,
                                   observed["admin"].toString(), observed["host"].toString()),
                       observed, expected);
}

Outcome checkBuildAreaKeepalive(const std::string& area, int64_t expectedSeconds) {
  Outcome problem;
  std::optional<BuildbotTac> tac = loadTac(area, &problem);
  if (!tac) return problem;
  std::string file = area + "/buildbot.tac";
  Object expected = obj({{"keepalive", expectedSeconds}});
  if (isComputed(*tac, "keepalive")) {
    return Outcome::error(
        fmt::format("keepalive in {} is an expression bbcheck does not evaluate", file));
  }
  std::string fix = fmt::format("set `keepalive = {}` in {} and run `buildbot-worker restart {}`",
                                expectedSeconds, file, area);
  if (!tac->keepalive) {
    return Outcome::fail(fmt::format("{} sets no keepalive: {}", file, fix),
                         obj({{"keepalive", Value()}}), expected);
  }
  Object observed = obj({{"keepalive", *tac->keepalive}});
  if (*tac->keepalive != expectedSeconds) {
    return Outcome::fail(fmt::format("keepalive is {} s in {}, expected {} s: {}", *tac->keepalive,
                                     file, expectedSeconds, fix),
                         observed, expected);
  }
  return Outcome::pass(fmt::format("keepalive {} s", *tac->keepalive), observed, expected);
}

Outcome checkBuildAreaLeftover(const std::string& area) {
  Outcome problem;
  std::optional<BuildbotTac> tac = loadTac(area, &problem);
  if (!tac) return problem;
  std::string file = area + "/buildbot.tac";
  Object expected = obj({{"delete_leftover_dirs", true}});
  if (isComputed(*tac, "delete_leftover_dirs")) {
    return Outcome::error(
        fmt::format("delete_leftover_dirs in {} is an expression bbcheck does not evaluate", file));
  }
  bool on = tac->delete_leftover_dirs.value_or(false);
  Object observed = obj({{"delete_leftover_dirs", on}});
  if (!on) {
    return Outcome::fail(
        fmt::format("delete_leftover_dirs is {} in {}: set `delete_leftover_dirs = 1` so that "
                    "directories of builders the master no longer has are removed, then run "
                    "`buildbot-worker restart {}`",
                    tac->delete_leftover_dirs ? "off" : "not set", file, area),
        observed, expected);
  }
  return Outcome::pass("delete_leftover_dirs is on", observed, expected);
}

namespace {

Outcome runBuildArea(const Params& params, const ProbeContext&) {
  const std::string& area = params.text("path");
  std::string aspect = params.textOr("aspect", "tac");
  if (aspect == "info") return checkBuildAreaInfo(area);
  if (aspect == "keepalive")
    return checkBuildAreaKeepalive(area, params.integerOr("keepalive", 60));
  if (aspect == "leftover") return checkBuildAreaLeftover(area);
  return checkBuildAreaTac(area);
}

const bool registered = registerProbe(
    {"buildarea",
     "a worker's build area: buildbot.tac (mode, owner, settings), info files, keepalive",
     {{"path", ParamType::Path, false, "${buildarea}", {}, "the build area (BUILDAREA of create-worker)"},
      {"aspect",
       ParamType::String,
       false,
       "tac",
       {"tac", "info", "keepalive", "leftover"},
       "what to check: tac, info, keepalive or leftover"},
      {"keepalive",
       ParamType::Int,
       false,
       "60",
       {},
       "expected keepalive in seconds (aspect keepalive)"}},
     runBuildArea});

}  // namespace
}  // namespace bbcheck
