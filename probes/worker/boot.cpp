#include "probes/worker/boot.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "probes/process.h"
#include "probes/registry.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

Object obj(std::map<std::string, Value> fields) {
  return Object(fields);
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string homeOf(const std::string& name) {
  passwd* pw = ::getpwnam(name.c_str());
  return pw && pw->pw_dir ? pw->pw_dir : "";
}

// ---------------------------------------------------------------------------
// A small shell word splitter: enough for the one-line commands people put in
// crontabs and ExecStart, not a shell.

struct Token {
  std::string text;
  enum Kind { Word, Operator, Redirect } kind = Word;
};

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Expands $HOME or ${HOME} at s[i] (a '$'); returns the index after it, or i
// when it is another variable (kept literally by the caller).
size_t expandHome(const std::string& s, size_t i, const std::string& home, std::string& word) {
  if (s.compare(i, 7, "${HOME}") == 0) {
    word += home;
    return i + 7;
  }
  if (s.compare(i, 5, "$HOME") == 0 && (i + 5 >= s.size() || !isNameChar(s[i + 5]))) {
    word += home;
    return i + 5;
  }
  return i;
}

std::vector<Token> tokenize(const std::string& s, const std::string& home) {
  std::vector<Token> out;
  std::string word;
  bool inWord = false;
  auto flush = [&] {
    if (inWord) out.push_back({word, Token::Word});
    word.clear();
    inWord = false;
  };
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
      ++i;
    } else if (c == '#' && !inWord) {
      break;
    } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
      flush();
      size_t n = (i + 1 < s.size() && s[i + 1] == c && c != ';') ? 2 : 1;
      out.push_back({s.substr(i, n), Token::Operator});
      i += n;
    } else if (c == '<' || c == '>') {
      // `2>&1`, `>>log`: drop an fd number, skip the target word later.
      if (inWord && word.find_first_not_of("0123456789") == std::string::npos) {
        word.clear();
        inWord = false;
      }
      flush();
      size_t n = 1;
      while (i + n < s.size() && (s[i + n] == '>' || s[i + n] == '&')) ++n;
      out.push_back({s.substr(i, n), Token::Redirect});
      i += n;
    } else if (c == '\'') {
      inWord = true;
      size_t close = s.find('\'', i + 1);
      if (close == std::string::npos) close = s.size();
      word += s.substr(i + 1, close - i - 1);
      i = close + 1;
    } else if (c == '"') {
      inWord = true;
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size() && std::strchr("\"\\$`", s[i + 1])) {
          word += s[i + 1];
          i += 2;
        } else if (s[i] == '$') {
          size_t next = expandHome(s, i, home, word);
          if (next == i) {
            word += s[i++];
          } else {
            i = next;
          }
        } else {
          word += s[i++];
        }
      }
      ++i;
    } else if (c == '\\' && i + 1 < s.size()) {
      inWord = true;
      word += s[i + 1];
      i += 2;
    } else if (c == '~' && !inWord) {
      // ~ or ~/x: the user's home; ~name/x: name's home.
      size_t end = i + 1;
      while (end < s.size() && (isNameChar(s[end]) || s[end] == '-' || s[end] == '.')) ++end;
      std::string who = s.substr(i + 1, end - i - 1);
      std::string dir = who.empty() ? home : homeOf(who);
      inWord = true;
      word += dir.empty() ? s.substr(i, end - i) : dir;
      i = end;
    } else if (c == '$') {
      inWord = true;
      size_t next = expandHome(s, i, home, word);
      if (next == i) {
        word += c;
        ++i;
      } else {
        i = next;
      }
    } else {
      inWord = true;
      word += c;
      ++i;
    }
  }
  flush();
  return out;
}

bool isAssignment(const std::string& word) {
  size_t eq = word.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  return std::all_of(word.begin(), word.begin() + static_cast<long>(eq), isNameChar) &&
         !std::isdigit(static_cast<unsigned char>(word[0]));
}

std::string resolveIn(const std::string& cwd, const std::string& path) {
  if (path.empty()) return normalisePath(cwd);
  if (path[0] == '/') return normalisePath(path);
  return normalisePath(cwd + "/" + path);
}

void scanCommands(const std::vector<Token>& tokens, const BootUser& user, std::string& cwd,
                  std::vector<WorkerInvocation>& out, int depth);

// One simple command (no operators): `cd`, a buildbot-worker call, or a
// wrapper whose string argument holds one (sh -c, su -c, bash -lc).
void scanSimpleCommand(const std::vector<std::string>& words, const BootUser& user,
                       std::string& cwd, std::vector<WorkerInvocation>& out, int depth) {
  size_t i = 0;
  while (i < words.size() && isAssignment(words[i])) ++i;
  if (i >= words.size()) return;
  if (words[i] == "cd") {
    cwd = resolveIn(cwd, i + 1 < words.size() ? words[i + 1] : user.home);
    return;
  }
  for (size_t k = i; k < words.size(); ++k) {
    std::string base = baseName(words[k]);
    if (base != "buildbot-worker" && base != "buildslave") continue;
    std::vector<std::string> args;
    for (size_t a = k + 1; a < words.size(); ++a) {
      if (!words[a].empty() && words[a][0] != '-') args.push_back(words[a]);
    }
    WorkerInvocation inv;
    inv.action = args.empty() ? "" : args[0];
    // buildbot-worker's basedir defaults to the current directory.
    inv.path = resolveIn(cwd, args.size() > 1 ? args[1] : "");
    out.push_back(inv);
    return;
  }
  if (depth > 3) return;
  for (size_t k = i + 1; k < words.size(); ++k) {
    if (words[k].find("buildbot-worker") != std::string::npos &&
        words[k].find(' ') != std::string::npos) {
      std::string innerCwd = cwd;
      scanCommands(tokenize(words[k], user.home), user, innerCwd, out, depth + 1);
    }
  }
}

void scanCommands(const std::vector<Token>& tokens, const BootUser& user, std::string& cwd,
                  std::vector<WorkerInvocation>& out, int depth) {
  std::vector<std::string> words;
  bool skipNext = false;
  for (const Token& t : tokens) {
    if (t.kind == Token::Operator) {
      scanSimpleCommand(words, user, cwd, out, depth);
      words.clear();
    } else if (t.kind == Token::Redirect) {
      skipNext = true;  // the redirection's target (a file, or the fd of 2>&1)
    } else if (skipNext) {
      skipNext = false;
    } else {
      words.push_back(t.text);
    }
  }
  scanSimpleCommand(words, user, cwd, out, depth);
}

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

// ---------------------------------------------------------------------------
// systemd units, read from disk (as `systemctl cat` would show them).

const char* const kUnitDirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                 "/lib/systemd/system", "/usr/lib/systemd/system"};

struct UnitSettings {
  bool found = false;
  std::vector<std::string> exec_start;
  std::string working_directory;
  std::string user;
};

// %i: the instance; %I: unescaped ('-' is '/', \xNN a byte); %h: the home.
std::string specifiers(const std::string& s, const std::string& instance, const std::string& home) {
  std::string unescaped;
  for (size_t i = 0; i < instance.size(); ++i) {
    if (instance[i] == '-') {
      unescaped += '/';
    } else if (instance.compare(i, 2, "\\x") == 0 && i + 3 < instance.size()) {
      unescaped += static_cast<char>(std::stoi(instance.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      unescaped += instance[i];
    }
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char spec = s[++i];
    if (spec == 'i')
      out += instance;
    else if (spec == 'I')
      out += unescaped;
    else if (spec == 'h')
      out += home;
    else if (spec == '%')
      out += '%';
    else
      out += std::string("%") + spec;
  }
  return out;
}

void readUnitFile(const std::string& path, UnitSettings& u) {
  std::istringstream lines(readText(path));
  std::string line, section;
  while (std::getline(lines, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      section = line;
      continue;
    }
    if (section != "[Service]") continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (key == "ExecStart") {
      if (value.empty())
        u.exec_start.clear();  // a drop-in resets the list
      else
        u.exec_start.push_back(value);
    } else if (key == "WorkingDirectory") {
      u.working_directory = value;
    } else if (key == "User") {
      u.user = value;
    }
  }
}

// The unit file (or its template's) and drop-ins, in systemd's precedence.
UnitSettings loadUnit(const std::string& root, const std::string& name) {
  UnitSettings u;
  std::vector<std::string> names{name};
  size_t at = name.find('@');
  if (at != std::string::npos) names.push_back(name.substr(0, at + 1) + ".service");
  for (const std::string& n : names) {
    for (const char* dir : kUnitDirs) {
      std::string path = root + dir + "/" + n;
      if (!u.found && fs::is_regular_file(path)) {
        readUnitFile(path, u);
        u.found = true;
      }
    }
  }
  // Drop-ins apply sorted by file name; the same name in a directory of
  // higher precedence replaces a lower one.
  std::map<std::string, std::string> byName;
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    for (auto d = std::rbegin(kUnitDirs); d != std::rend(kUnitDirs); ++d) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(root + *d + "/" + *it + ".d", ec)) {
        if (e.path().extension() == ".conf") byName[e.path().filename()] = e.path();
      }
    }
  }
  for (const auto& [file, path] : byName) readUnitFile(path, u);
  return u;
}

std::vector<BootEntry> unitEntries(const std::string& root, const std::string& unit,
                                   const BootUser& user, const std::string& source) {
  std::vector<BootEntry> entries;
  UnitSettings u = loadUnit(root, unit);
  if (!u.found) return entries;
  size_t at = unit.find('@');
  std::string instance =
      at == std::string::npos ? "" : unit.substr(at + 1, unit.rfind(".service") - at - 1);
  BootUser runAs = user;
  if (!u.user.empty()) runAs = {u.user, homeOf(u.user)};
  std::string cwd =
      u.working_directory.empty() ? "/" : specifiers(u.working_directory, instance, runAs.home);
  if (!cwd.empty() && cwd[0] == '-') cwd.erase(0, 1);  // "-": ignore when missing
  if (cwd == "~") cwd = runAs.home;
  for (const std::string& exec : u.exec_start) {
    std::string command = specifiers(exec, instance, runAs.home);
    command.erase(0, command.find_first_not_of("-@:+!"));
    std::string dir = cwd;
    for (const WorkerInvocation& inv : workerInvocations(command, runAs, dir)) {
      entries.push_back({source, inv.action, inv.path});
    }
  }
  return entries;
}

bool isSystemd(const BootEntry& e) {
  return e.source.rfind("systemd", 0) == 0;
}

// ---------------------------------------------------------------------------
// The probe.

// Debian's cron reads /etc/cron.d files whose names are only letters,
// digits, '_' and '-' (run-parts' rule); others are silently ignored.
bool cronReadsFileName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

struct Sources {
  std::vector<BootEntry> entries;
  Array read;   // what was looked at
  Array notes;  // what could not be read, and why
  bool crontab_unreadable = false;
  std::string crontab_error;
};

void readUserCrontab(const BootUser& user, bool self, Clock::time_point deadline, Sources& s) {
  std::vector<std::string> args{"-l"};
  if (!self) args = {"-l", "-u", user.name};
  ProcessResult r = runProcess("crontab", args, deadline);
  std::string source = "crontab of " + user.name;
  if (!r.started) {
    s.notes.push_back("crontab: not installed (" + r.start_error + ")");
    return;
  }
  if (r.timed_out) {
    s.crontab_unreadable = true;
    s.crontab_error = "`crontab -l` did not finish before the check's timeout";
    s.notes.push_back(s.crontab_error);
    return;
  }
  if (r.exit_code != 0) {
    if (r.err.find("no crontab for") != std::string::npos) {
      s.read.push_back(source + " (none)");
      return;
    }
    s.crontab_unreadable = true;
    s.crontab_error = fmt::format("`crontab {}` failed: {}", fmt::join(args, " "), trim(r.err));
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

void readSystemd(const std::string& area, const BootUser& user, Clock::time_point deadline,
                 Sources& s) {
  auto found = systemdBootEntries("", user);
  s.entries.insert(s.entries.end(), found.begin(), found.end());
  s.read.push_back("/etc/systemd/system/*.wants");
  // Only a running systemd answers for units enabled elsewhere (presets,
  // runtime); Debian's template serves /var/lib/buildbot/workers/NAME.
  if (!fs::is_directory("/run/systemd/system") || findOnPath("systemctl").empty()) return;
  std::string unit = "buildbot-worker@" + baseName(area) + ".service";
  ProcessResult r = runProcess("systemctl", {"is-enabled", unit}, deadline);
  std::string state = trim(r.out);
  s.read.push_back("systemctl is-enabled " + unit + ": " + (state.empty() ? "?" : state));
  if (r.exit_code != 0 || state.rfind("enabled", 0) != 0) return;
  auto more = unitEntries("", unit, user, "systemd unit " + unit + " (systemctl: " + state + ")");
  s.entries.insert(s.entries.end(), more.begin(), more.end());
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

Outcome judge(const Sources& s, const std::string& area, const BootUser& user) {
  Array entries;
  for (const BootEntry& e : s.entries) {
    entries.push_back(obj({{"source", e.source}, {"action", e.action}, {"path", e.path}}));
  }
  Object observed = obj({{"user", user.name}, {"entries", entries}, {"read", s.read}});
  if (!s.notes.empty()) observed["notes"] = s.notes;
  Object expected = obj({{"path", area}, {"action", "restart"}});
  std::string target = normalisePath(area);
  const BootEntry* good = nullptr;
  const BootEntry* start = nullptr;
  std::vector<std::string> elsewhere;
  for (const BootEntry& e : s.entries) {
    if (!samePath(e.path, target)) {
      elsewhere.push_back(describe(e));
      continue;
    }
    bool supervised = isSystemd(e) && (e.action == "start" || e.action == "restart");
    if (!good && (e.action == "restart" || supervised)) good = &e;
    if (!start && e.action == "start") start = &e;
  }
  if (good) {
    return Outcome::pass(fmt::format("the worker starts on boot: {}", describe(*good)), observed,
                         expected);
  }
  std::string cronLine = fmt::format("@reboot buildbot-worker restart {}", area);
  std::string notes;
  for (const auto& note : s.notes) notes += "; note: " + note.toString();
  if (start) {
    return Outcome::fail(
        fmt::format("{} at boot: `start` fails after an unclean shutdown because the stale "
                    "twistd.pid is left behind; change it to `{}`{}",
                    describe(*start), cronLine, notes),
        observed, expected);
  }
  if (s.crontab_unreadable) {
    return Outcome::error(
        fmt::format("cannot tell whether the worker starts on boot: {}", s.crontab_error),
        observed);
  }
  std::string others;
  if (!elsewhere.empty()) others = fmt::format(" (found only: {})", fmt::join(elsewhere, "; "));
  return Outcome::fail(
      fmt::format("nothing starts the worker in {} on boot{}: add `{}` with `crontab -e` as {}, "
                  "or run {}{}",
                  area, others, cronLine, user.name, systemdFix(target), notes),
      observed, expected);
}

Outcome runBoot(const Params& params, const ProbeContext& ctx) {
  const std::string& area = params.text("path");
  passwd* me = ::getpwuid(::geteuid());
  std::string myName = me ? me->pw_name : std::to_string(::geteuid());
  BootUser user{params.textOr("user", ""), ""};
  if (user.name.empty()) user.name = myName;
  passwd* pw = ::getpwnam(user.name.c_str());
  if (!pw) return Outcome::error(fmt::format("no such user: {}", user.name));
  user.home = pw->pw_dir ? pw->pw_dir : "/";
  Sources s;
  readUserCrontab(user, user.name == myName, ctx.deadline, s);
  readSystemCrontabs(user, s);
  readSystemd(area, user, ctx.deadline, s);
  return judge(s, area, user);
}

const bool registered = registerProbe(
    {"boot",
     "the worker starts on boot (cron @reboot ... restart, or an enabled systemd unit)",
     {{"path", ParamType::Path, true, "", {}, "the build area"},
      {"user",
       ParamType::String,
       false,
       "",
       {},
       "whose crontab to read (default: the user running bbcheck; another user needs root)"}},
     runBoot});

}  // namespace

std::vector<WorkerInvocation> workerInvocations(const std::string& command, const BootUser& user,
                                                const std::string& cwd) {
  std::vector<WorkerInvocation> out;
  std::string dir = cwd;
  scanCommands(tokenize(command, user.home), user, dir, out, 0);
  return out;
}

std::vector<BootEntry> cronBootEntries(const std::string& text, bool systemFormat,
                                       const BootUser& user, const std::string& source) {
  std::vector<BootEntry> entries;
  std::istringstream lines(text);
  std::string line;
  BootUser env = user;  // a HOME= line changes cron's HOME for later lines
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("@reboot", 0) != 0) {
      size_t eq = line.find('=');
      if (eq != std::string::npos && trim(line.substr(0, eq)) == "HOME") {
        std::string value = trim(line.substr(eq + 1));
        if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'')) {
          value = value.substr(1, value.size() - 2);
        }
        env.home = value;
      }
      continue;
    }
    std::string rest = trim(line.substr(7));
    if (systemFormat) {
      size_t end = rest.find_first_of(" \t");
      if (end == std::string::npos || rest.substr(0, end) != user.name) continue;
      rest = trim(rest.substr(end));
    }
    std::string where = systemFormat ? fmt::format("{}:{}", source, number) : source;
    for (const WorkerInvocation& inv : workerInvocations(cronCommand(rest), env, env.home)) {
      entries.push_back({where, inv.action, inv.path});
    }
  }
  return entries;
}

std::vector<BootEntry> systemdBootEntries(const std::string& root, const BootUser& user) {
  std::vector<BootEntry> entries;
  std::set<std::string> seen;
  std::error_code ec;
  std::vector<fs::path> wants;
  for (const auto& e : fs::directory_iterator(root + "/etc/systemd/system", ec)) {
    std::string ext = e.path().extension();
    if ((ext == ".wants" || ext == ".requires") && e.is_directory()) wants.push_back(e.path());
  }
  std::sort(wants.begin(), wants.end());
  for (const fs::path& dir : wants) {
    std::vector<std::string> units;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string name = e.path().filename();
      if (e.path().extension() == ".service" && seen.insert(name).second) units.push_back(name);
    }
    std::sort(units.begin(), units.end());
    for (const std::string& unit : units) {
      std::string source =
          fmt::format("systemd unit {} (enabled in {})", unit, dir.filename().string());
      auto found = unitEntries(root, unit, user, source);
      entries.insert(entries.end(), found.begin(), found.end());
    }
  }
  return entries;
}

std::string normalisePath(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  if (ec) p = fs::path(path).lexically_normal();
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace bbcheck
