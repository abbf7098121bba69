#include "checker/run/service_rerun.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "checker/run/result.h"
#include "probes/service_environment.h"
#include "probes/text.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

// Time the child needs beyond its checks: start-up, loading the profile,
// writing the report.
constexpr Milliseconds kChildOverhead{2000};
constexpr Milliseconds kParseMargin{300};

// The one re-run that all derived checks share.
struct Rerun {
  std::string error;       // why there are no results
  bool timed_out = false;  // the error is that it ran out of time
  std::shared_ptr<const ServiceEnvironment> env;
  std::string not_as_user;  // whyNotAsServiceUser, "" when run as the service's user
  std::map<std::string, RerunResult> results;
};

std::string firstLineOrNothing(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "(nothing)" : line;
}

void readResults(const std::string& json, Rerun& rerun) {
  try {
    rerun.results = readRerunReport(json);
  } catch (const Poco::Exception& e) {
    rerun.error = "its report could not be read: " + e.displayText();
  }
}

class SharedRerun {
 public:
  SharedRerun(const Check& environmentCheck, std::vector<std::string> ids, RerunSettings settings)
      : environment_check_(environmentCheck), ids_(std::move(ids)), settings_(std::move(settings)) {
    future_ = promise_.get_future().share();
  }

  // The first caller runs the child; the others wait for its results.
  std::shared_future<Rerun> results(const ProgramLimit& limit) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (started_) return future_;
      started_ = true;
    }
    promise_.set_value(run(limit));
    return future_;
  }

 private:
  // The child bbcheck is local work: on a busy host it may run past the
  // check's deadline while the CPU it got is within the check's timeout. It
  // is given the time up to the run's deadline; its own checks judge their
  // programs the same way.
  Rerun run(ProgramLimit limit) const {
    Clock::time_point deadline = limit.deadline;
    Rerun rerun;
    if (std::find(settings_.profiles.begin(), settings_.profiles.end(), "-") !=
        settings_.profiles.end()) {
      rerun.error = "the profile was read from standard input, which cannot be read twice";
      return rerun;
    }
    try {
      rerun.env =
          (*serviceEnvironmentReader(environment_check_.kind))(environment_check_.params, deadline);
    } catch (const std::exception& e) {
      rerun.error = std::string("the worker's service environment could not be read: ") + e.what();
      return rerun;
    }
    if (!rerun.env->known) {
      rerun.error = "the worker's service environment is unknown: " + rerun.env->why_unknown;
      return rerun;
    }
    rerun.not_as_user = whyNotAsServiceUser(*rerun.env);
    auto left = std::chrono::duration_cast<Milliseconds>(limit.latestEnd() - Clock::now());
    // Its threads wait for programs in process groups of their own.
    limit.stop_when_stalled = false;
    ProcessResult r = runInServiceEnvironment(*rerun.env, "/proc/self/exe",
                                              rerunArguments(settings_, ids_, left), limit);
    if (!r.started)
      rerun.error = "bbcheck could not be started there: " + r.start_error;
    else if ((rerun.timed_out = r.timed_out))
      rerun.error = "the re-run did not finish in time: " + r.stop_note;
    else if (r.exit_code != 0 && r.exit_code != 1)
      rerun.error = fmt::format("the re-run ended with exit code {}: {}", r.exit_code,
                                firstLineOrNothing(r.err));
    else
      readResults(r.out, rerun);
    return rerun;
  }

  Check environment_check_;
  std::vector<std::string> ids_;
  RerunSettings settings_;
  std::mutex mutex_;
  bool started_ = false;
  std::promise<Rerun> promise_;
  std::shared_future<Rerun> future_;
};

// This run's PATH as a value for the worker: once each, without directories
// in another user's home (root's ~/.cargo/bin is no use to the worker).
std::string suggestedPath(const std::string& mine, const ServiceEnvironment& env) {
  const char* home = std::getenv("HOME");
  std::string myHome = home ? home : "";
  auto theirs = env.env.find("HOME");
  bool sameHome = theirs != env.env.end() && theirs->second == myHome;
  std::vector<std::string> kept;
  size_t start = 0;
  while (start <= mine.size()) {
    size_t end = std::min(mine.find(':', start), mine.size());
    std::string dir = mine.substr(start, end - start);
    bool foreign = !sameHome && !myHome.empty() && myHome != "/" && dir.rfind(myHome + "/", 0) == 0;
    if (!dir.empty() && !foreign && std::find(kept.begin(), kept.end(), dir) == kept.end())
      kept.push_back(dir);
    start = end + 1;
  }
  return fmt::format("{}", fmt::join(kept, ":"));
}

// What differs between this run's environment and the service's, each with
// the way to give the worker this run's value.
std::vector<std::string> differences(const ServiceEnvironment& env) {
  std::vector<std::string> out;
  for (const char* name : {"PATH", "LANG", "LC_ALL", "LC_CTYPE", "HOME"}) {
    const char* mine = std::getenv(name);
    auto theirs = env.env.find(name);
    std::string a = mine ? mine : "", b = theirs == env.env.end() ? "" : theirs->second;
    if (a == b || (std::string(name) == "HOME" && !b.empty())) continue;
    out.push_back(
        fmt::format("{} is {} here but {} for the worker: {}", name, a.empty() ? "unset" : a,
                    b.empty() ? "unset" : b,
                    env.howToSet(name, a.empty()                     ? "C.UTF-8"
                                       : std::string(name) == "PATH" ? suggestedPath(a, env)
                                                                     : a)));
  }
  for (const ServiceLimit& l : env.limits) {
    rlimit mine{};
    if (::getrlimit(l.resource, &mine) != 0) continue;
    if (mine.rlim_cur == l.soft && mine.rlim_max == l.hard) continue;
    out.push_back(fmt::format("limit {} is {}:{} here but {}:{} for the worker (from {}): {}",
                              l.name, rlimitText(mine.rlim_cur), rlimitText(mine.rlim_max),
                              rlimitText(l.soft), rlimitText(l.hard), l.origin,
                              env.howToLimit(l.name)));
  }
  return out;
}

Outcome compare(const Check& original, const CheckResult& here, const Rerun& rerun) {
  const ServiceEnvironment& env = *rerun.env;
  std::string where = fmt::format("{}, as {}", env.origin(), env.user);
  auto found = rerun.results.find(original.id);
  if (found == rerun.results.end())
    return Outcome::error(
        fmt::format("the re-run in the worker's environment ({}) did not report "
                    "{}",
                    where, original.id));
  const RerunResult& there = found->second;
  if (there.status == Status::Skip)
    return Outcome::skip(
        fmt::format("skipped in the worker's environment ({}): {}", where, there.message));
  if (there.status == Status::Pass) {
    if (!rerun.not_as_user.empty())
      return Outcome::error(fmt::format(
          "passes with the worker's environment ({}) but run as this user, and {}: run bbcheck "
          "as {} or as root to check it as the worker runs: {}",
          where, rerun.not_as_user, env.user, there.message));
    return Outcome::pass(
        fmt::format("passes in the worker's environment too ({}): {}", where, there.message));
  }
  if (there.status == Status::Error)
    return Outcome::error(
        fmt::format("passes in your shell but could not be decided in the "
                    "worker's environment ({}): {}",
                    where, there.message));
  std::string fixes;
  for (const std::string& d : differences(env)) fixes += "; " + d;
  if (!rerun.not_as_user.empty()) fixes += "; note: " + rerun.not_as_user + ", so it ran as you";
  return Outcome::fail(
      fmt::format("passes in your shell ({}) but not in the worker's environment "
                  "({}): {} there: {}{}",
                  here.message, where, statusName(there.status), there.message, fixes));
}

Check derivedCheck(const Check& environmentCheck, const Check& original) {
  Check c;
  c.id = environmentCheck.id + "." + original.id;
  c.title = original.title + " (in the worker's service environment)";
  c.probe = original.probe;
  c.params = original.params;
  c.severity = original.severity;
  c.tags = {"environment"};
  for (const auto& t : original.tags)
    if (t != kServiceEnvTag && t != "environment") c.tags.push_back(t);
  c.why =
      "The worker does not run in your shell: cron or systemd starts it with its own PATH, "
      "locale, limits and user. " +
      original.why;
  c.fix =
      "Give the worker's crontab or systemd unit what your shell has; the message names each "
      "difference and where to set it.";
  c.docs = original.docs.empty() ? environmentCheck.docs : original.docs;
  c.timeout = std::max(environmentCheck.timeout, original.timeout) + kChildOverhead;
  c.not_applicable = original.not_applicable;
  c.origin = environmentCheck.origin;
  c.pos = original.pos;
  return c;
}

// How the derived check of `original` runs: from the results of the
// environment check and of `original` in this run, then the shared re-run.
DerivedCheck rerunOf(const Check& environmentCheck, const Check& original,
                     std::shared_ptr<SharedRerun> shared) {
  DerivedCheck d;
  d.inputs = {environmentCheck.id, original.id};
  std::string envId = environmentCheck.id, id = original.id;
  d.run = [shared, original, envId, id](const std::vector<CheckResult>& inputs,
                                        const ProbeContext& ctx) {
    const CheckResult& environment = inputs.at(0);
    const CheckResult& here = inputs.at(1);
    if (environment.status != Status::Pass && environment.status != Status::Fail)
      return Outcome::skip(
          fmt::format("not re-run in the worker's service environment: {} is {}: "
                      "{}",
                      envId, statusName(environment.status), environment.message));
    if (here.status != Status::Pass)
      return Outcome::skip(
          fmt::format("{} is {} in this run already; fix that first", id, statusName(here.status)));
    LocalWork::Busy busy(ctx.work);  // the shared re-run is this check's local work too
    ProgramLimit limit(ctx);
    std::shared_future<Rerun> future = shared->results(limit);
    Outcome outOfTime =
        Outcome::error("the re-run in the worker's environment did not finish in time");
    outOfTime.fix = outOfTimeFix();
    if (future.wait_until(limit.latestEnd()) != std::future_status::ready) return outOfTime;
    const Rerun& rerun = future.get();
    if (!rerun.error.empty()) {
      Outcome error =
          Outcome::error("could not re-run in the worker's service environment: " + rerun.error);
      if (rerun.timed_out) error.fix = outOfTimeFix();
      return error;
    }
    return compare(original, here, rerun);
  };
  return d;
}

}  // namespace

std::vector<std::string> rerunArguments(const RerunSettings& settings,
                                        const std::vector<std::string>& ids,
                                        Milliseconds timeLeft) {
  std::vector<std::string> args{"run"};
  for (const std::string& p : settings.profiles) {
    std::error_code ec;
    args.insert(args.end(), {"-p", fs::exists(p, ec) ? fs::absolute(p).string() : p});
  }
  for (const std::string& s : settings.sets) args.insert(args.end(), {"--set", s});
  for (const std::string& id : ids) args.insert(args.end(), {"--only", id});
  Milliseconds childDeadline = std::max(timeLeft - kParseMargin, Milliseconds(100));
  args.insert(args.end(),
              {"--format", "json", "--no-color", "--quiet", "--jobs", std::to_string(settings.jobs),
               "--deadline", fmt::format("{}ms", childDeadline.count())});
  if (!settings.timeout.empty()) args.insert(args.end(), {"--timeout", settings.timeout});
  return args;
}

std::map<std::string, RerunResult> readRerunReport(const std::string& json) {
  std::map<std::string, RerunResult> results;
  Poco::JSON::Parser parser;
  auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  auto checks = root->getArray("checks");
  for (size_t i = 0; checks && i < checks->size(); ++i) {
    auto c = checks->getObject(static_cast<unsigned>(i));
    results[c->getValue<std::string>("id")] = {statusNamed(c->getValue<std::string>("status")),
                                               c->optValue<std::string>("message", "")};
  }
  return results;
}

DerivedChecks addServiceReruns(Profile& profile, const RerunSettings& settings) {
  auto isEnvironment = [](const Check& c) { return serviceEnvironmentReader(c.kind) != nullptr; };
  auto envIt = std::find_if(profile.checks.begin(), profile.checks.end(), isEnvironment);
  if (envIt == profile.checks.end()) return {};
  std::vector<const Check*> originals;
  for (const Check& c : profile.checks)
    if (&c != &*envIt && std::count(c.tags.begin(), c.tags.end(), kServiceEnvTag))
      originals.push_back(&c);
  if (originals.empty()) return {};
  std::vector<std::string> ids;
  for (const Check* c : originals) ids.push_back(c->id);
  auto shared = std::make_shared<SharedRerun>(*envIt, ids, settings);
  std::vector<Check> checks;
  DerivedChecks runs;
  for (const Check* c : originals) {
    checks.push_back(derivedCheck(*envIt, *c));
    runs[checks.back().id] = rerunOf(*envIt, *c, shared);
  }
  size_t at = static_cast<size_t>(envIt - profile.checks.begin()) + 1;
  profile.checks.insert(profile.checks.begin() + static_cast<std::ptrdiff_t>(at), checks.begin(),
                        checks.end());
  return runs;
}

}  // namespace bbcheck
