#include "probes/python_temp.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "probes/mount_options.h"
#include "probes/text.h"

extern char** environ;

namespace bbcheck {
namespace {

// What test_shutil, test_subprocess and test_venv do: make a file with
// tempfile, make it executable, run it. One line per fact, tab-separated.
constexpr const char* kTempScript = R"PY(
import os, subprocess, sys, tempfile
d = tempfile.gettempdir()
print("dir", d, sep="\t", flush=True)
fd, p = tempfile.mkstemp(prefix="bbcheck-" + sys.argv[1] + "-", suffix=".sh")
try:
    os.write(fd, b"#!/bin/sh\nexit 0\n")
    os.close(fd)
    os.chmod(p, 0o700)
    try:
        print("ran", subprocess.run([p]).returncode, sep="\t", flush=True)
    except OSError as e:
        print("exec", e.errno, e.strerror, sep="\t", flush=True)
finally:
    os.unlink(p)
)PY";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The last non-empty line: Python's error is its traceback's last line.
std::string lastLine(const std::string& text) {
  std::string last;
  for (const std::string& line : lines(text))
    if (!trimmed(line).empty()) last = trimmed(line);
  return last.size() > 200 ? last.substr(0, 200) + "..." : last;
}

// After a timeout the script's finally may not have run.
void removeLeftovers(const std::string& dir, const std::string& token) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::string prefix = "bbcheck-" + token + "-";
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(path.c_str());
  }
  ::closedir(d);
}

}  // namespace

std::string randomToken() {
  std::random_device device;
  std::mt19937_64 engine(device());
  return fmt::format("{:016x}", engine());
}

std::map<std::string, std::string> ownEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

ProcessResult runPython(const ProgramRunner& run, const std::vector<std::string>& args,
                        Clock::time_point deadline) {
  // The shell looks python3 up on the environment's own PATH.
  std::vector<std::string> shellArgs = {"-c", "exec python3 \"$@\"", "sh"};
  shellArgs.insert(shellArgs.end(), args.begin(), args.end());
  return run("/bin/sh", shellArgs, deadline);
}

std::vector<std::string> pythonVariables(const std::map<std::string, std::string>& env) {
  std::vector<std::string> names;
  for (const char* first : {"PYTHONHOME", "PYTHONPATH"})
    if (env.count(first)) names.push_back(first);
  for (const auto& [name, value] : env)
    if (name.rfind("PYTHON", 0) == 0 && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  return names;
}

std::string whyPythonFailed(const ProcessResult& r, const ProgramRunner& run,
                            const std::map<std::string, std::string>& env,
                            Clock::time_point deadline) {
  auto path = env.find("PATH");
  std::string pathText = path == env.end() ? "unset" : path->second;
  if (!r.started) return "python3 could not be started: " + r.start_error;
  if (r.exit_code == 127)
    return fmt::format("python3 is not on the PATH there (PATH={})", pathText);
  std::string said = lastLine(r.err);
  std::string what =
      fmt::format("python3 failed (exit {}{}{})", r.exit_code, said.empty() ? "" : ": ", said);
  std::vector<std::string> suspects = pythonVariables(env);
  if (suspects.empty()) return what;
  // Try again without them: the variable is named only when that fixes it.
  std::string script = "exec /usr/bin/env";
  for (const std::string& name : suspects) script += " -u " + name;
  script += " python3 -c pass";
  ProcessResult without = run("/bin/sh", {"-c", script}, deadline);
  std::vector<std::string> shown;
  for (const std::string& name : suspects) shown.push_back(name + "=" + env.at(name));
  if (without.started && without.exit_code == 0)
    return fmt::format("{}; it starts once {} {} removed: {} in that environment breaks Python",
                       what, joinedWith(suspects, ", "), suspects.size() == 1 ? "is" : "are",
                       joinedWith(shown, " "));
  return fmt::format("{} (also without {})", what, joinedWith(suspects, ", "));
}

TempTrial tryPythonTempDir(const ProgramRunner& run, const std::map<std::string, std::string>& env,
                           Clock::time_point deadline) {
  TempTrial trial;
  std::string token = randomToken();
  ProcessResult r = runPython(run, {"-c", kTempScript, token}, deadline);
  std::string exec, ran;
  for (const std::string& line : lines(r.out)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string key = line.substr(0, tab), value = line.substr(tab + 1);
    if (key == "dir") trial.dir = value;
    if (key == "exec") exec = value;
    if (key == "ran") ran = value;
  }
  if (!trial.dir.empty()) removeLeftovers(trial.dir, token);
  if (r.timed_out) {
    trial.undecided =
        "python3 did not finish choosing a temporary directory and running a script "
        "there before the check's deadline";
    return trial;
  }
  if (trial.dir.empty()) {
    trial.python_fails = true;
    trial.undecided =
        "cannot ask Python for its temporary directory: " + whyPythonFailed(r, run, env, deadline);
    return trial;
  }
  trial.how = trial.dir;
  for (const char* name : {"TMPDIR", "TEMP", "TMP"}) {
    auto set = env.find(name);
    if (set == env.end() || set->second.empty()) continue;
    trial.how = set->second == trial.dir
                    ? fmt::format("{}={}", name, trial.dir)
                    : fmt::format("{} ({}={} is not usable: Python falls back to it)", trial.dir,
                                  name, set->second);
    break;
  }
  if (ran == "0") {
    trial.decided = true;
    trial.script_runs = true;
    return trial;
  }
  if (!exec.empty() || !ran.empty()) {
    trial.decided = true;
    std::string cause = noexecCause(trial.dir);
    std::string error = exec.empty() ? "it exited " + ran : exec.substr(exec.find('\t') + 1);
    trial.problem = fmt::format(
        "a script created in the temporary directory {} cannot run ({}){}: test_shutil, "
        "test_subprocess and test_venv fail there",
        trial.how, error, cause.empty() ? "" : ": " + cause);
    return trial;
  }
  trial.undecided = fmt::format("python3 named {} but could not create a script there: {}",
                                trial.dir, lastLine(r.err));
  return trial;
}

}  // namespace bbcheck
