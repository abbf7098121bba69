// The build act: CPython's build runs ./configure and then ./python from the
// build directory, so a build area where what is built there cannot run
// (a noexec mount) fails every build though every file check passes.
#include "probes/worker/rehearsal_build.h"

#include <fmt/format.h>

#include "probes/mount_options.h"
#include "probes/text.h"
#include "probes/worker/rehearsal_scratch.h"

namespace bbcheck::rehearsal {
namespace {

// Exit codes: 5 the scratch directory, 6 ./configure, 7 no compiler, 8 the
// compile, 9 running the program. configure's choice of compiler: $CC, else
// the first of gcc, cc, clang on PATH.
constexpr const char* kBuild =
    "cd -- \"$1\" && /bin/mkdir -- \"$2\" && cd -- \"$2\" || exit 5\n"
    "printf '#!/bin/sh\\nexit 0\\n' > configure && /bin/chmod 755 configure || exit 5\n"
    "./configure || exit 6\n"
    "cc=$CC\n"
    "if [ -z \"$cc\" ]; then for c in gcc cc clang; do\n"
    "  if command -v \"$c\" >/dev/null 2>&1; then cc=$c; break; fi\n"
    "done; fi\n"
    "[ -n \"$cc\" ] || exit 7\n"
    "printf '@cc %s\\n' \"$cc\"\n"
    "printf 'int main(void) { return 0; }\\n' > conftest.c || exit 5\n"
    "$cc -o conftest conftest.c || exit 8\n"
    "./conftest || exit 9\n";

std::string compilerNamed(const std::string& out) {
  size_t at = out.find("@cc ");
  if (at == std::string::npos) return "the compiler";
  return trimmed(out.substr(at + 4, out.find('\n', at) - at - 4));
}

}  // namespace

Outcome rehearseBuild(const RehearsalSession& session, const std::string& area,
                      Clock::time_point deadline) {
  const ServiceEnvironment& env = session.env;
  Object observed;
  observed["session"] = session.described;
  observed["path"] = area;
  std::string undecided;
  std::string stop = whereWalkStops(env, area, "", deadline, &undecided);
  if (!undecided.empty()) return Outcome::error(undecided, observed);
  if (!stop.empty())
    return Outcome::fail(
        fmt::format("the worker's user cannot walk to its build area {}: {}", area, stop),
        observed);
  AreaScratch scratch(env, area, deadline);
  ProcessResult r = runInServiceEnvironment(
      env, "/bin/sh", {"-c", kBuild, "sh", area, scratch.name()}, scratch.actsDeadline());
  std::string cc = compilerNamed(r.out);
  if (r.out.find("@cc ") != std::string::npos) observed["compiler"] = cc;
  if (!r.started)
    return Outcome::error(fmt::format("cannot start a process as {}: {}", env.user, r.start_error),
                          observed);
  if (r.timed_out)
    return Outcome::error(
        fmt::format("building and running a small program in {} as {} did not finish before the "
                    "check's deadline: re-run, or raise --timeout",
                    area, env.user),
        observed);
  auto path = env.env.find("PATH");
  std::string pathText = path == env.env.end() ? "unset" : path->second;
  std::string said = firstLine(r.err);
  std::string noexec = noexecCause(area);
  std::string where = fmt::format("({})", session.described);
  switch (r.exit_code) {
    case 0:
      return Outcome::pass(
          fmt::format("{}: ran a ./configure script, compiled a program with {} and ran it in {}",
                      session.described, cc, area),
          observed);
    case 6:
    case 9:
      return Outcome::fail(
          fmt::format("{} in the build area {} cannot run there {}: {}{}; CPython's build "
                      "runs ./configure and ./python from its build directory",
                      r.exit_code == 6 ? "a ./configure script" : "a program compiled by " + cc,
                      area, where, said, noexec.empty() ? "" : " — " + noexec),
          observed);
    case 7:
      return Outcome::fail(
          fmt::format("no C compiler ($CC, gcc, cc or clang) on the worker's PATH={} {}", pathText,
                      where),
          observed);
    case 8:
      return Outcome::fail(
          fmt::format("{} cannot compile a small program into {} {}: {}", cc, area, where, said),
          observed);
    default:
      return Outcome::fail(
          fmt::format("the worker's user cannot create files in {} {}: {}", area, where, said),
          observed);
  }
}

}  // namespace bbcheck::rehearsal
