// The worker-rehearsal probe's registration: one act per check.
#include "probes/worker/rehearsal.h"

#include <fmt/format.h>

#include "probes/param_binding.h"
#include "probes/text.h"
#include "probes/worker/rehearsal_area.h"
#include "probes/worker/rehearsal_build.h"
#include "probes/worker/rehearsal_python.h"

namespace bbcheck {
namespace {

struct RehearsalParams {
  std::string path = "${buildarea}";
  std::string act = "area";
  std::string user;  // "": who runs bbcheck, or for root the build area's owner
};

}  // namespace

ProbeKind workerRehearsalProbe(ServiceEnvironmentLookup lookup) {
  auto run = [lookup](const RehearsalParams& params, const ProbeContext& ctx) -> Outcome {
    if (params.path.empty()) return Outcome::error("the build area path is empty");
    std::optional<Account> who = workerAccount(params.path, params.user);
    if (!who) return Outcome::error(fmt::format("no such user: {}", params.user));
    RehearsalSession session = rehearsalSession(params.path, *who, lookup, ctx.deadline);
    if (!session.not_as_user.empty())
      return Outcome::error(fmt::format(
          "the acts of the worker cannot be rehearsed as {}: {}; run bbcheck as {} or as root",
          session.env.user, session.not_as_user, session.env.user));
    using namespace rehearsal;
    if (params.act == "build") return rehearseBuild(session, params.path, ctx.deadline);
    if (params.act == "tmp") return rehearseTemp(session, ctx.deadline);
    if (params.act == "localhost") return rehearseLocalhost(session, ctx.deadline);
    if (params.act == "version") return rehearseVersion(session, ctx.deadline);
    return rehearseArea(session, params.path, ctx.deadline);
  };
  return probeKind(
      "worker-rehearsal",
      "does what the worker and its build do, as the worker's user in its session: walk to and "
      "write in the build area, build and run there, run a script in Python's temp dir, "
      "localhost, buildbot-worker --version",
      {pathParam("path", &RehearsalParams::path, "the build area"),
       stringParam("act", &RehearsalParams::act,
                   "what to do: area, build, tmp, localhost or version")
           .oneOf({"area", "build", "tmp", "localhost", "version"}),
       stringParam(
           "user", &RehearsalParams::user,
           "the worker's user (default: who runs bbcheck, or for root the build area's owner)")},
      std::function<Outcome(const RehearsalParams&, const ProbeContext&)>(run));
}

}  // namespace bbcheck
