// The area act: what the worker does in its build area before and during
// every build, as its user.
#include "probes/worker/rehearsal_area.h"

#include <fmt/format.h>

#include "probes/mount_options.h"
#include "probes/text.h"
#include "probes/worker/rehearsal_scratch.h"

namespace bbcheck::rehearsal {

namespace {

// What the area script's steps are called in messages.
std::string stepText(const std::string& step) {
  if (step == "read-tac") return "read buildbot.tac";
  if (step == "read-info") return "list info/";
  if (step == "mkdir") return "create a directory";
  if (step == "file") return "create a file";
  if (step == "rm") return "remove a file";
  if (step == "rmdir") return "remove a directory";
  return step;
}

// The last "@step NAME" (and "@file F") line the script printed.
std::string lastMarked(const std::string& out, const std::string& marker) {
  std::string found;
  size_t at = 0;
  while ((at = out.find(marker, at)) != std::string::npos) {
    if (at == 0 || out[at - 1] == '\n') {
      size_t end = out.find('\n', at);
      found =
          out.substr(at + marker.size(), end == std::string::npos ? end : end - at - marker.size());
    }
    at += marker.size();
  }
  return found;
}

}  // namespace

Outcome rehearseArea(const RehearsalSession& session, const std::string& area,
                     Clock::time_point deadline) {
  const ServiceEnvironment& env = session.env;
  std::string undecided;
  std::string stop = whereWalkStops(env, area, "", deadline, &undecided);
  Object observed;
  observed["session"] = session.described;
  observed["path"] = area;
  if (!undecided.empty()) return Outcome::error(undecided, observed);
  if (!stop.empty())
    return Outcome::fail(fmt::format("the worker's user cannot walk to its build area {} ({}): {}",
                                     area, session.described, stop),
                         observed);
  AreaScratch scratch(env, area, deadline);
  static const char* const kActs =
      "cd -- \"$1\" || exit 3\n"
      "printf '@step read-tac\\n'; { : < buildbot.tac; } || exit 4\n"
      "printf '@step read-info\\n'\n"
      "if [ -d info ]; then\n"
      "  [ -r info ] && [ -x info ] || { echo \"info/ cannot be listed\" >&2; exit 4; }\n"
      "  for f in info/* info/.[!.]*; do\n"
      "    [ -f \"$f\" ] || continue\n"
      "    printf '@step read %s\\n' \"$f\"; { : < \"$f\"; } || exit 4\n"
      "  done\n"
      "fi\n"
      "printf '@step mkdir\\n'; /bin/mkdir -- \"$2\" || exit 5\n"
      "printf '@step file\\n'; : > \"$2/file\" || exit 5\n"
      "printf '@step rm\\n'; /bin/rm -- \"$2/file\" || exit 5\n"
      "printf '@step rmdir\\n'; /bin/rmdir -- \"$2\" || exit 5\n";
  ProcessResult r = runInServiceEnvironment(
      env, "/bin/sh", {"-c", kActs, "sh", area, scratch.name()}, scratch.actsDeadline());
  if (!r.started)
    return Outcome::error(fmt::format("cannot start a process as {}: {}", env.user, r.start_error),
                          observed);
  if (r.timed_out)
    return Outcome::error(
        fmt::format("reading and writing in {} as {} did not finish in time", area, env.user),
        observed);
  if (r.exit_code == 0)
    return Outcome::pass(
        fmt::format("{}: walked to {}, read buildbot.tac and info/, created and removed a "
                    "file and a directory",
                    session.described, area),
        observed);
  std::string step = lastMarked(r.out, "@step ");
  std::string what = step.rfind("read ", 0) == 0 ? step : stepText(step);
  std::string cause = readOnlyCause(area);
  return Outcome::fail(
      fmt::format("the worker's user {} cannot {} in {} ({}): {}{}", env.user, what, area,
                  session.described, firstLine(r.err), cause.empty() ? "" : ": " + cause),
      observed);
}

}  // namespace bbcheck::rehearsal
