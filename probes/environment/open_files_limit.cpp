#include "probes/environment/open_files_limit.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include "probes/param_binding.h"

namespace bbcheck {

FileLimit readFileLimit() {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  auto value = [](rlim_t v) { return v == RLIM_INFINITY ? kUnlimited : static_cast<int64_t>(v); };
  return {value(rl.rlim_cur), value(rl.rlim_max)};
}

std::string openFilesText(int64_t value) {
  return value == kUnlimited ? "unlimited" : std::to_string(value);
}

std::string judgeFileLimit(const FileLimit& limit, int64_t min, int64_t max) {
  auto above = [max](int64_t v) { return v == kUnlimited || v > max; };
  if (limit.soft != kUnlimited && limit.soft < min)
    return fmt::format(
        "soft limit {} is below {}: tests that open many files or sockets fail "
        "with EMFILE (Too many open files)",
        limit.soft, min);
  if (above(limit.soft) || above(limit.hard))
    return fmt::format(
        "{} limit {} is above {}: programs that close or scan every possible "
        "descriptor before exec crawl (subprocess tests time out)",
        above(limit.soft) ? "soft" : "hard",
        openFilesText(above(limit.soft) ? limit.soft : limit.hard), max);
  return "";
}

namespace {

struct OpenFilesLimitParams {
  int64_t min = 1024;
  int64_t max = 1048576;
};

Outcome runOpenFilesLimit(const OpenFilesLimitParams& params, const ProbeContext&) {
  int64_t min = params.min;
  int64_t max = params.max;
  FileLimit limit = readFileLimit();
  LimitOrigin origin = findLimitOrigin(limit);
  Object observed;
  observed["soft"] = limit.soft;  // -1: unlimited
  observed["hard"] = limit.hard;
  if (origin.known) {
    observed["set_by_pid"] = origin.set_by_pid;
    observed["set_by"] = origin.set_by;
  }
  if (origin.kernel_max >= 0) observed["kernel_max"] = origin.kernel_max;
  Object expected;
  expected["min"] = min;
  expected["max"] = max;

  std::string numbers = fmt::format("open files: soft {}, hard {}", openFilesText(limit.soft),
                                    openFilesText(limit.hard));
  std::string source;
  if (origin.known) {
    source =
        fmt::format("set at pid {} ({}) and inherited from it", origin.set_by_pid, origin.set_by);
    if (!origin.inherited_from.empty()) source += "; " + origin.inherited_from;
  }
  std::string problem = judgeFileLimit(limit, min, max);
  std::string message = numbers + (source.empty() ? "" : " (" + source + ")");
  if (!problem.empty()) return Outcome::fail(message + ": " + problem, observed, expected);
  return Outcome::pass(fmt::format("{}; within {}..{}", message, min, max), observed, expected);
}

}  // namespace

ProbeKind openFilesLimitProbe() {
  return probeKind(
      "open-files-limit",
      "RLIMIT_NOFILE (soft and hard) of this process within a sane range, and who set it",
      {intParam("min", &OpenFilesLimitParams::min, "least soft limit that passes").atLeast(0),
       intParam("max", &OpenFilesLimitParams::max, "largest soft or hard limit that passes")
           .atLeast(1)},
      runOpenFilesLimit);
}

}  // namespace bbcheck
