// A small shell word splitter that finds buildbot-worker calls in the
// one-line commands people put in crontabs and ExecStart; not a shell.
#include "probes/buildbot/boot_command_line.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "probes/buildbot/boot_helpers.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

using boot_detail::homeOf;

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

// Programs that run the command in their arguments (after their own
// options): `nohup buildbot-worker start`, `sudo -u bb buildbot-worker ...`,
// a virtualenv's `python bin/buildbot-worker ...`. Any other program named
// before buildbot-worker is what really runs: in a user crontab,
// `@reboot bb buildbot-worker start` runs a program called `bb`.
bool runsItsArguments(const std::string& program) {
  static const std::set<std::string> wrappers = {
      "env",     "nohup",     "exec",      "sudo",
      "runuser", "doas",      "nice",      "ionice",
      "setsid",  "timeout",   "chrt",      "taskset",
      "stdbuf",  "chpst",     "setuidgid", "start-stop-daemon",
      "flock",   "daemonize", "command"};
  return wrappers.count(program) > 0 || program.rfind("python", 0) == 0;
}

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
  size_t last = runsItsArguments(baseName(words[i])) ? words.size() : i + 1;
  for (size_t k = i; k < last; ++k) {
    std::string base = baseName(words[k]);
    if (base != "buildbot-worker" && base != "buildslave") continue;
    std::vector<std::string> args;
    for (size_t a = k + 1; a < words.size(); ++a) {
      if (!words[a].empty() && words[a][0] != '-') args.push_back(words[a]);
    }
    WorkerInvocation inv;
    inv.program = words[k];
    for (size_t a = 0; a < i; ++a) {
      if (words[a].rfind("PATH=", 0) == 0) inv.path_env = words[a].substr(5);
    }
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

}  // namespace

std::vector<WorkerInvocation> workerInvocations(const std::string& command, const BootUser& user,
                                                const std::string& cwd) {
  std::vector<WorkerInvocation> out;
  std::string dir = cwd;
  scanCommands(tokenize(command, user.home), user, dir, out, 0);
  return out;
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
