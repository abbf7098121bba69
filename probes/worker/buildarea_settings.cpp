// The keepalive and leftover aspects: settings of buildbot.tac the devguide
// asks for.
#include "probes/worker/buildarea_settings.h"

#include <fmt/format.h>

#include "probes/worker/buildarea.h"
#include "probes/worker/buildarea_common.h"

namespace bbcheck {

using namespace buildarea_detail;

Outcome checkBuildAreaKeepalive(const std::string& area, const Account& who,
                                int64_t expectedSeconds) {
  Outcome problem;
  std::optional<BuildbotTac> tac = loadTac(area, who, &problem);
  if (!tac) return problem;
  std::string file = area + "/buildbot.tac";
  Object expected = obj({{"keepalive", expectedSeconds}});
  if (isComputed(*tac, "keepalive")) {
    return Outcome::error(
        fmt::format("keepalive in {} is an expression bbcheck does not evaluate", file));
  }
  std::string fix = fmt::format("set `keepalive = {}` in {} and run `{}`", expectedSeconds, file,
                                asWorker("buildbot-worker restart " + area, who));
  if (!tac->keepalive) {
    return Outcome::fail(fmt::format("{} sets no keepalive: {}", file, fix),
                         obj({{"keepalive", Value()}}), expected);
  }
  Object observed = obj({{"keepalive", *tac->keepalive}});
  if (*tac->keepalive != expectedSeconds) {
    return Outcome::fail(fmt::format("keepalive is {} s in {}, expected {} s: {}", *tac->keepalive,
                                     file, expectedSeconds, fix),
                         observed, expected);
  }
  return Outcome::pass(fmt::format("keepalive {} s", *tac->keepalive), observed, expected);
}

Outcome checkBuildAreaLeftover(const std::string& area, const Account& who) {
  Outcome problem;
  std::optional<BuildbotTac> tac = loadTac(area, who, &problem);
  if (!tac) return problem;
  std::string file = area + "/buildbot.tac";
  Object expected = obj({{"delete_leftover_dirs", true}});
  if (isComputed(*tac, "delete_leftover_dirs")) {
    return Outcome::error(
        fmt::format("delete_leftover_dirs in {} is an expression bbcheck does not evaluate", file));
  }
  bool on = tac->delete_leftover_dirs.value_or(false);
  Object observed = obj({{"delete_leftover_dirs", on}});
  if (!on) {
    return Outcome::fail(
        fmt::format("delete_leftover_dirs is {} in {}: set `delete_leftover_dirs = 1` so that "
                    "directories of builders the master no longer has are removed, then run `{}`",
                    tac->delete_leftover_dirs ? "off" : "not set", file,
                    asWorker("buildbot-worker restart " + area, who)),
        observed, expected);
  }
  return Outcome::pass("delete_leftover_dirs is on", observed, expected);
}

}  // namespace bbcheck
