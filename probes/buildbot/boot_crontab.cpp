// Reading crontabs for @reboot lines that run buildbot-worker: the user's
// crontab (`crontab -l`), /etc/crontab and /etc/cron.d/*.
#include "probes/buildbot/boot_crontab.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "probes/buildbot/boot_helpers.h"
#include "probes/process.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

// cron runs everything after the first unescaped % as the command's stdin.
std::string cronCommand(const std::string& command) {
  std::string out;
  for (size_t i = 0; i < command.size(); ++i) {
    if (command[i] == '\\' && i + 1 < command.size() && command[i + 1] == '%') {
      out += '%';
      ++i;
    } else if (command[i] == '%') {
      break;
    } else {
      out += command[i];
    }
  }
  return out;
}

// Debian's cron reads /etc/cron.d files whose names are only letters,
// digits, '_' and '-' (run-parts' rule); others are silently ignored.
bool cronReadsFileName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// PATH=/opt/bin:$PATH on a command line: $PATH is cron's.
std::string expandPath(const std::string& value, const std::string& outer) {
  std::string out = value;
  for (const char* var : {"${PATH}", "$PATH"}) {
    size_t at;
    while ((at = out.find(var)) != std::string::npos) out.replace(at, std::strlen(var), outer);
  }
  return out;
}

}  // namespace

std::vector<BootEntry> cronBootEntries(const std::string& text, bool systemFormat,
                                       const BootUser& user, const std::string& source) {
  std::vector<BootEntry> entries;
  std::istringstream lines(text);
  std::string line;
  BootUser env = user;           // a HOME= line changes cron's HOME for later lines
  std::string path = kCronPath;  // and a PATH= line its PATH
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trimmed(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("@reboot", 0) != 0) {
      size_t eq = line.find('=');
      std::string name = eq == std::string::npos ? "" : trimmed(line.substr(0, eq));
      if (name == "HOME" || name == "PATH") {
        std::string value = trimmed(line.substr(eq + 1));
        if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'')) {
          value = value.substr(1, value.size() - 2);
        }
        (name == "HOME" ? env.home : path) = value;
      }
      continue;
    }
    std::string rest = trimmed(line.substr(7));
    if (systemFormat) {
      size_t end = rest.find_first_of(" \t");
      if (end == std::string::npos || rest.substr(0, end) != user.name) continue;
      rest = trimmed(rest.substr(end));
    }
    std::string where = systemFormat ? fmt::format("{}:{}", source, number) : source;
    for (const WorkerInvocation& inv : workerInvocations(cronCommand(rest), env, env.home)) {
      std::string search = path;
      if (!inv.path_env.empty()) search = expandPath(inv.path_env, path);
      entries.push_back({where, inv.action, inv.path, inv.program, search, user.name, env.home});
    }
  }
  return entries;
}

namespace boot_detail {

void readUserCrontab(const BootUser& user, bool self, const ProgramLimit& limit, Sources& s) {
  std::vector<std::string> args{"-l"};
  if (!self) args = {"-l", "-u", user.name};
  ProcessResult r = runProcess("crontab", args, limit);
  std::string source = "crontab of " + user.name;
  if (!r.started) {
    s.notes.push_back("crontab: not installed (" + r.start_error + ")");
    return;
  }
  if (r.timed_out) {
    s.crontab_unreadable = true;
    s.crontab_error = "`crontab -l` did not finish before the check's timeout; " + r.stop_note;
    s.notes.push_back(s.crontab_error);
    return;
  }
  if (r.exit_code != 0) {
    if (r.err.find("no crontab for") != std::string::npos) {
      s.read.push_back(source + " (none)");
      return;
    }
    s.crontab_unreadable = true;
    s.crontab_error = fmt::format("`crontab {}` failed: {}", fmt::join(args, " "), trimmed(r.err));
    s.notes.push_back(s.crontab_error);
    return;
  }
  s.read.push_back(source);
  auto found = cronBootEntries(r.out, false, user, source);
  s.entries.insert(s.entries.end(), found.begin(), found.end());
}

void readSystemCrontabs(const BootUser& user, Sources& s) {
  if (fs::is_regular_file("/etc/crontab")) {
    s.read.push_back("/etc/crontab");
    auto found = cronBootEntries(readText("/etc/crontab"), true, user, "/etc/crontab");
    s.entries.insert(s.entries.end(), found.begin(), found.end());
  }
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator("/etc/cron.d", ec)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const std::string& path : files) {
    std::string text = readText(path);
    auto found = cronBootEntries(text, true, user, path);
    if (!cronReadsFileName(baseName(path))) {
      if (!found.empty()) {
        s.notes.push_back(path +
                          ": ignored by cron (a file name with characters other than "
                          "letters, digits, _ and -)");
      }
      continue;
    }
    s.read.push_back(path);
    s.entries.insert(s.entries.end(), found.begin(), found.end());
  }
}

}  // namespace boot_detail
}  // namespace bbcheck
