#include "probes/environment/temp_space.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "probes/human.h"
#include "probes/net_errors.h"
#include "probes/param_binding.h"
#include "probes/python_temp.h"

namespace bbcheck {

TempDirChoice chooseTempDir() {
  for (const char* name : {"TMPDIR", "TEMP", "TMP"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return {value, name};
  }
  return {"/tmp", ""};
}

std::string tryWriteFile(const std::string& dir) {
  std::string pattern = dir + "/.bbcheck-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return fmt::format("cannot create a file in {}: {}", dir, errnoText(errno));
  std::string block(4096, 'x');
  ssize_t written = ::write(fd, block.data(), block.size());
  int err = errno;
  bool closed = ::close(fd) == 0;
  if (!closed && written >= 0) err = errno;
  ::unlink(name.data());
  if (written != static_cast<ssize_t>(block.size()) || !closed)
    return fmt::format("cannot write a file in {}: {}", dir, errnoText(err));
  return "";
}

namespace {

struct TempSpaceParams {
  int64_t min = 0;  // bytes
};

// The directory the worker's programs write to: the one TMPDIR (TEMP, TMP)
// names, but when it does not exist Python and gcc both fall back (to
// /tmp), so then the one Python picks.
TempDirChoice judgedDirectory(const TempTrial& trial, std::string* note) {
  TempDirChoice choice = chooseTempDir();
  struct stat st;
  if (choice.variable.empty() || ::stat(choice.path.c_str(), &st) == 0 || errno != ENOENT)
    return choice;
  std::string fallback = trial.dir.empty() ? "/tmp" : trial.dir;
  *note = fmt::format(" ({}={} does not exist: Python and gcc fall back to {})", choice.variable,
                      choice.path, fallback);
  return {fallback, ""};
}

Outcome runTempSpace(const TempSpaceParams& params, const ProbeContext& ctx) {
  // Python itself says which directory tempfile picks and whether a script
  // made there runs (probes/python_temp.h).
  ProgramRunner here = [](const std::string& program, const std::vector<std::string>& args,
                          Clock::time_point deadline) {
    return runProcess(program, args, deadline);
  };
  TempTrial trial = tryPythonTempDir(here, ownEnvironment(), ctx.deadline);
  std::string note;
  TempDirChoice choice = judgedDirectory(trial, &note);
  int64_t min = params.min;
  Object observed;
  observed["path"] = choice.path;
  observed["variable"] = choice.variable;
  if (!trial.dir.empty()) observed["python_tempdir"] = trial.dir;
  if (trial.decided) observed["script_runs"] = trial.script_runs;
  Object expected;
  expected["min_bytes"] = min;
  expected["writable"] = true;
  expected["script_runs"] = true;
  std::string where =
      choice.variable.empty() ? choice.path : fmt::format("{}={}", choice.variable, choice.path);

  struct statvfs vfs {};
  if (::statvfs(choice.path.c_str(), &vfs) != 0)
    return Outcome::fail(fmt::format("temporary directory {}: {}", where, errnoText(errno)),
                         observed, expected);
  int64_t bytes = static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
  observed["bytes"] = bytes;
  observed["inodes"] = static_cast<int64_t>(vfs.f_favail);
  std::string writeError = tryWriteFile(choice.path);
  observed["writable"] = writeError.empty();
  if (!writeError.empty()) return Outcome::fail(writeError, observed, expected);
  if (bytes < min)
    return Outcome::fail(fmt::format("{} free in {}, need {} ({} < {} bytes)", humanBytes(bytes),
                                     where, humanLimit(min), bytes, min),
                         observed, expected);
  if (trial.decided && !trial.script_runs) return Outcome::fail(trial.problem, observed, expected);
  std::string scripts =
      trial.decided ? fmt::format("; a script Python creates in {} runs", trial.dir)
                    : fmt::format("; not tried whether a script runs there: {}", trial.undecided);
  return Outcome::pass(
      fmt::format("{} is writable, {} free{}{}{}", where, humanBytes(bytes),
                  min > 0 ? fmt::format(" (need {})", humanLimit(min)) : "", note, scripts),
      observed, expected);
}

}  // namespace

ProbeKind tempSpaceProbe() {
  return probeKind(
      "temp-space",
      "the temporary directory ($TMPDIR, $TEMP, $TMP or Python's fallback) is writable with free "
      "space, and a script Python creates there runs",
      {sizeParam("min", &TempSpaceParams::min, "least free space that passes, e.g. 2.5G")},
      runTempSpace);
}

}  // namespace bbcheck
