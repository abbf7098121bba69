// The acts that go through Python, as the worker and its tests do: the
// temporary directory tempfile picks, localhost, buildbot-worker --version.
#include "probes/worker/rehearsal_python.h"

#include <fmt/format.h>

#include "probes/python_temp.h"
#include "probes/text.h"

namespace bbcheck::rehearsal {
namespace {

// Bind on 127.0.0.1, connect by the name `localhost`, send a byte through.
constexpr const char* kLocalhost = R"PY(
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
c = socket.create_connection(("localhost", s.getsockname()[1]), timeout=5)
a, _ = s.accept()
c.sendall(b"x")
assert a.recv(1) == b"x"
)PY";

Object observedOf(const RehearsalSession& session) {
  Object o;
  o["session"] = session.described;
  return o;
}

}  // namespace

Outcome rehearseTemp(const RehearsalSession& session, Clock::time_point deadline) {
  Object observed = observedOf(session);
  TempTrial trial = tryPythonTempDir(runnerIn(session.env), session.env.env, deadline);
  if (!trial.dir.empty()) observed["directory"] = trial.dir;
  // Python that does not start in the worker's session is the worker's
  // problem (its tests are Python), not an undecided check.
  if (trial.python_fails)
    return Outcome::fail(fmt::format("{} ({})", trial.undecided, session.described), observed);
  if (!trial.decided)
    return Outcome::error(trial.undecided + " (" + session.described + ")", observed);
  if (!trial.script_runs)
    return Outcome::fail(fmt::format("{} ({})", trial.problem, session.described), observed);
  return Outcome::pass(fmt::format("{}: Python's temporary directory is {}; a script "
                                   "created there runs",
                                   session.described, trial.how),
                       observed);
}

Outcome rehearseLocalhost(const RehearsalSession& session, Clock::time_point deadline) {
  Object observed = observedOf(session);
  ProgramRunner run = runnerIn(session.env);
  ProcessResult r = runPython(run, {"-c", kLocalhost}, deadline);
  if (r.timed_out)
    return Outcome::error("binding and connecting on localhost did not finish in time", observed);
  if (r.started && r.exit_code == 0)
    return Outcome::pass(fmt::format("{}: bound 127.0.0.1 and connected to it by the name "
                                     "localhost",
                                     session.described),
                         observed);
  // Python itself, or the network?
  ProcessResult plain = runPython(run, {"-c", "pass"}, deadline);
  if (!plain.started || plain.exit_code != 0)
    return Outcome::fail(fmt::format("cannot try localhost ({}): {}", session.described,
                                     whyPythonFailed(plain, run, session.env.env, deadline)),
                         observed);
  std::string said;
  for (size_t start = 0; start < r.err.size();) {
    size_t end = r.err.find('\n', start);
    std::string line = trimmed(r.err.substr(start, end == std::string::npos ? end : end - start));
    if (!line.empty()) said = line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return Outcome::fail(fmt::format("the worker's user {} cannot bind and connect on localhost "
                                   "({}): {}",
                                   session.env.user, session.described, said),
                       observed);
}

Outcome rehearseVersion(const RehearsalSession& session, Clock::time_point deadline) {
  Object observed = observedOf(session);
  ProgramRunner run = runnerIn(session.env);
  ProcessResult r = run("/bin/sh", {"-c", "exec buildbot-worker --version"}, deadline);
  if (r.timed_out)
    return Outcome::error(
        "buildbot-worker --version did not answer before the check's deadline: re-run, or raise "
        "--timeout",
        observed);
  if (r.started && r.exit_code == 0) {
    observed["version"] = firstLine(r.out);
    return Outcome::pass(fmt::format("{}: {}", session.described, firstLine(r.out)), observed);
  }
  auto path = session.env.env.find("PATH");
  std::string pathText = path == session.env.env.end() ? "unset" : path->second;
  if (r.started && r.exit_code == 127)
    return Outcome::fail(fmt::format("buildbot-worker is not on the worker's PATH={} ({})",
                                     pathText, session.described),
                         observed);
  // buildbot-worker is a Python program: name what breaks Python there.
  ProcessResult plain = runPython(run, {"-c", "pass"}, deadline);
  std::string cause = plain.started && plain.exit_code == 0
                          ? firstLine(r.err)
                          : whyPythonFailed(plain, run, session.env.env, deadline);
  return Outcome::fail(fmt::format("buildbot-worker --version fails for {} ({}): {}",
                                   session.env.user, session.described, cause),
                       observed);
}

}  // namespace bbcheck::rehearsal
