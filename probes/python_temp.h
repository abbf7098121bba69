// What Python does in an environment, asked of Python itself there: which
// temporary directory tempfile picks (its own order, TMPDIR, TEMP, TMP,
// /tmp, /var/tmp, /usr/tmp, the working directory, skipping any it cannot
// write) and whether a script made there runs, as test_shutil,
// test_subprocess and test_venv do. When Python itself does not start,
// which variable of that environment (PYTHONHOME, PYTHONPATH, ...) breaks it.
//
// The same code serves bbcheck's own environment (runProcess) and the
// worker's (runInServiceEnvironment): the caller says how to run a program.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/process.h"

namespace bbcheck {

// Runs an absolute `program` in the environment being judged.
using ProgramRunner = std::function<ProcessResult(
    const std::string& program, const std::vector<std::string>& args, Clock::time_point deadline)>;

// Runs `python3` from that environment's PATH with `args`.
ProcessResult runPython(const ProgramRunner& run, const std::vector<std::string>& args,
                        Clock::time_point deadline);

// The variables of `env` that change how Python starts, PYTHONHOME and
// PYTHONPATH first, then the other PYTHON* ones.
std::vector<std::string> pythonVariables(const std::map<std::string, std::string>& env);

// Why python3 failed (`r` is its run), naming the cause: not on PATH, or a
// variable of `env` without which it starts (tried: python3 run again with
// them removed), or its first error line.
std::string whyPythonFailed(const ProcessResult& r, const ProgramRunner& run,
                            const std::map<std::string, std::string>& env,
                            Clock::time_point deadline);

struct TempTrial {
  bool decided = false;  // Python named its directory and the script was tried
  std::string dir;       // tempfile.gettempdir()
  std::string how;       // "TMPDIR=/x", "/tmp (TMPDIR=/nope is not usable: Python falls back)"
  bool script_runs = false;
  std::string problem;        // decided and !script_runs: why, naming the mount option
  std::string undecided;      // !decided: why (Python failed, timed out)
  bool python_fails = false;  // !decided because python3 is missing or fails there
};

// In `env` (the variables the runner gives the program), asks Python for its
// temporary directory, creates a script there and runs it. Everything it
// creates is removed, also after a timeout.
TempTrial tryPythonTempDir(const ProgramRunner& run, const std::map<std::string, std::string>& env,
                           Clock::time_point deadline);

// This process's own variables, as a map.
std::map<std::string, std::string> ownEnvironment();

// A fresh random token for names of things a check creates and removes.
std::string randomToken();

}  // namespace bbcheck
