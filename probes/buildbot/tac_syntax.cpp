#include "probes/buildbot/tac_syntax.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "probes/process.h"
#include "probes/regex.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// Runs under the worker's Python (2 or 3): reads like twisted's
// sob.loadValueFromFile (open() in text mode, compile(..., "exec")) but never
// executes. Prints "OK" or "ERR line col message"; never the source text,
// which may hold the password.
const char* const kCompileScript =
    "import sys\n"
    "p = sys.argv[1]\n"
    "try:\n"
    "    f = open(p)\n"
    "    try:\n"
    "        data = f.read()\n"
    "    finally:\n"
    "        f.close()\n"
    "    compile(data, p, 'exec')\n"
    "except SyntaxError as e:\n"
    "    sys.stdout.write('ERR %s %s %s\\n' % (e.lineno or 0, e.offset or 0, e.msg))\n"
    "except UnicodeDecodeError as e:\n"
    "    sys.stdout.write('ERR 0 0 not valid %s text at byte offset %d\\n' % (e.encoding, "
    "e.start))\n"
    "except (ValueError, TypeError) as e:\n"
    "    sys.stdout.write('ERR 0 0 %s\\n' % (e,))\n"
    "else:\n"
    "    sys.stdout.write('OK\\n')\n";

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

// The program a #! line runs: "#!/usr/bin/python3 -u" -> /usr/bin/python3;
// "#!/usr/bin/env [-S] python3" -> python3 on PATH.
std::string shebangInterpreter(const std::string& script) {
  std::ifstream in(script, std::ios::binary);
  std::string first;
  if (!in || !std::getline(in, first) || first.rfind("#!", 0) != 0) return "";
  std::vector<std::string> w = words(first.substr(2));
  if (w.empty()) return "";
  if (baseName(w[0]) != "env") return w[0];
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i][0] == '-' || w[i].find('=') != std::string::npos) continue;
    return findOnPath(w[i]);
  }
  return "";
}

// The text to the right of `passwd =` in the tac (up to 64 KiB read), or "".
std::string passwordSource(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text(64 * 1024, '\0');
  in.read(&text[0], static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  static const Regex assignment(R"(^[ \t]*passwd[ \t]*=[ \t]*([^\r\n]*))", true);
  auto match = assignment.search(text);
  return match ? trimmed((*match)[1]) : "";
}

}  // namespace

std::string maskPasswordFragments(const std::string& message, const std::string& passwordText) {
  if (passwordText.empty()) return message;
  std::string out;
  size_t at = 0;
  while (at < message.size()) {
    size_t open = message.find('\'', at);
    size_t close = open == std::string::npos ? open : message.find('\'', open + 1);
    if (close == std::string::npos) break;
    std::string quoted = message.substr(open + 1, close - open - 1);
    bool secret = !quoted.empty() && passwordText.find(quoted) != std::string::npos;
    out += message.substr(at, open + 1 - at) + (secret ? "***" : quoted) + "'";
    at = close + 1;
  }
  return out + message.substr(std::min(at, message.size()));
}

std::string workerPython(std::string* how) {
  std::string worker = findOnPath("buildbot-worker");
  if (!worker.empty()) {
    std::string python = shebangInterpreter(worker);
    if (!python.empty()) {
      *how = fmt::format("the #! line of {}", worker);
      return python;
    }
  }
  std::string python = findOnPath("python3");
  *how = worker.empty() ? "python3 on PATH (buildbot-worker is not on PATH)"
                        : fmt::format("python3 on PATH ({} has no #! line)", worker);
  return python;
}

TacSyntax compileTac(const std::string& file, const std::string& python,
                     const ProgramLimit& limit) {
  TacSyntax s;
  s.interpreter = python;
  // -E: ignore PYTHON* variables; -S: no site import (compile needs none).
  ProcessResult r = runProcess(python, {"-E", "-S", "-c", kCompileScript, file}, limit);
  if (!r.started) {
    s.problem = fmt::format("cannot run {}: {}", python, r.start_error);
    return s;
  }
  if (r.timed_out) {
    s.timed_out = true;
    s.problem = fmt::format("{} did not finish compiling {} before the check's timeout; {}", python,
                            file, r.stop_note);
    return s;
  }
  std::string out = r.out.substr(0, r.out.find('\n'));
  if (out == "OK") {
    s.decided = s.ok = true;
    return s;
  }
  if (out.rfind("ERR ", 0) != 0) {
    std::string err = maskPasswordFragments(r.err.substr(0, 300), passwordSource(file));
    s.problem =
        fmt::format("{} exited {} without a verdict on {}: {}", python, r.exit_code, file, err);
    return s;
  }
  std::istringstream fields(out.substr(4));
  fields >> s.line >> s.column;
  std::getline(fields, s.message);
  if (!s.message.empty() && s.message[0] == ' ') s.message.erase(0, 1);
  s.message = maskPasswordFragments(s.message, passwordSource(file));
  s.decided = true;
  return s;
}

}  // namespace bbcheck
