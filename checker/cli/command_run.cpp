// bbcheck run and the run behind bbcheck request (see command_run.h).
#include "checker/cli/command_run.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <future>
#include <iostream>
#include <system_error>

#include "checker/cli/cli_style.h"
#include "checker/cli/command_list.h"
#include "checker/cli/command_request.h"
#include "checker/cli/exit_codes.h"
#include "checker/cli/progress_line.h"
#include "checker/cli/shared_options.h"
#include "checker/cli/stop_signals.h"
#include "checker/cli/worker_choice.h"
#include "checker/report/report_safe.h"
#include "checker/report/report_target.h"
#include "checker/report/safe_text.h"
#include "checker/run/scheduler.h"
#include "checker/run/selection.h"
#include "checker/run/service_rerun.h"
#include "checker/run/stage.h"
#include "checker/run/waivers.h"
#include "probes/process.h"

namespace bbcheck {
namespace {

struct ReportTarget {
  const ReportFormat* format;
  ResolvedTarget where;
};

std::vector<ReportTarget> reportTargets(const std::vector<std::string>& specs) {
  std::vector<ReportTarget> targets;
  for (const auto& spec : specs) {
    auto colon = spec.find(':');
    if (colon == std::string::npos)
      throw UsageError(fmt::format("--report {}: expected FORMAT:PATH", spec));
    const ReportFormat& format = formatOrThrow(spec.substr(0, colon), "--report", ReportUse::File);
    std::string path = spec.substr(colon + 1);
    try {
      targets.push_back({&format, checkReportTarget(path)});
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("--report {}: cannot write a report there: {}", spec, e.what()));
    }
  }
  return targets;
}

// Every waiver the command line names, --waive ones first: a one-run
// waiver given by hand overrides the file's.
std::vector<Waiver> waiversOf(const RunArgs& args) {
  std::vector<Waiver> waivers;
  for (const std::string& value : commaSeparated(args.waive))
    waivers.push_back(waiverFromFlag(value));
  for (const std::string& file : args.waiver_files) {
    std::vector<Waiver> more = readWaiverFile(file);
    waivers.insert(waivers.end(), more.begin(), more.end());
  }
  return waivers;
}

std::string nowIso8601() {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FORMAT);
}

}  // namespace

int runCommand(const RunArgs& args) {
  // Everything the user typed is checked before any probe runs.
  const ReportFormat& stdoutFormat = formatOrThrow(args.format, "--format", ReportUse::Stdout);
  std::vector<ReportTarget> targets = reportTargets(args.reports);
  if (args.jobs < 1) throw UsageError(fmt::format("--jobs {}: expected 1 or more", args.jobs));
  SchedulerOptions options;
  options.jobs = args.jobs;
  if (!args.timeout.empty()) options.timeout = durationOrThrow(args.timeout, "--timeout");
  options.deadline = durationOrThrow(args.deadline, "--deadline");
  if (!args.retry_for.empty()) options.retry_for = durationOrThrow(args.retry_for, "--retry-for");
  Severity failOn = failOnOrThrow(args.fail_on);
  std::vector<Waiver> waivers = waiversOf(args);
  // A host-stage run judges no worker: it does not look for them.
  std::optional<StageScope> requestedStage =
      args.request ? StageScope::Host : stageOrThrow(args.stage);
  WorkerChoice choice = chooseWorkers(args.profiles, args.sets, requestedStage != StageScope::Host);
  Profile& profile = choice.profile;
  if (args.request && !profile.onboarding)
    throw UsageError(fmt::format(
        "request: profile {} names no farm request form (its onboarding: section)", profile.name));
  options.derived =
      addServiceReruns(profile, {args.profiles, choice.rerun_sets, args.timeout, args.jobs});
  checkWaiverIds(profile, waivers);
  Selection selection =
      selectChecks(profile, commaSeparated(args.only), commaSeparated(args.skip), options.derived);
  std::vector<std::string>& skipReasons = selection.skip_reasons;
  StagePlan stages = planStages(profile, requestedStage);
  mergeSkipReasons(skipReasons, stages.skip_reasons);

  // The request names the compilers and isolation too.
  bool deepFacts = stdoutFormat.deep_host_facts || args.request;
  for (const auto& t : targets) deepFacts |= t.format->deep_host_facts;
  auto started = Clock::now();
  std::string startedAt = nowIso8601();
  handleStopSignals();
  // Host facts are read while the checks run; asking compilers for their
  // versions costs processes, so only the formats that show them pay for it.
  Milliseconds factsTime = std::min(options.deadline, Milliseconds(5000));
  std::future<HostFacts> facts;
  try {
    facts = std::async(std::launch::async, [deepFacts, started, factsTime] {
      return collectHostFacts(started + factsTime, deepFacts);
    });
  } catch (const std::system_error&) {
    // No thread to spare (RLIMIT_NPROC): read them after the checks.
  }

  options.selected = selection.selected;
  options.stop = &stopRequested();
  options.on_interrupt = stopAllProcesses;
  ProgressLine progress(!args.quiet && ::isatty(STDERR_FILENO));
  if (progress.enabled())
    options.on_progress = [&progress](const Progress& p) { progress.show(p); };
  std::vector<CheckResult> results = runChecks(profile, skipReasons, options);
  progress.clear();
  applyWaivers(results, waivers, todayUtc());
  // Whatever a late signal interrupted, no program may outlive the run.
  if (stopRequested().raised()) stopAllProcesses();

  RunReport report;
  report.profile = &profile;
  report.host = facts.valid() ? facts.get() : collectHostFacts(Clock::now() + factsTime, deepFacts);
  report.started_at = startedAt;
  report.duration_ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - started).count();
  report.results = std::move(results);
  report.fail_on = failOn;
  report.verdict = computeVerdict(report.results, failOn);
  report.stage = stages.scope;
  report.workers = choice.workers;
  attachWorkerRequest(report);
  report.interrupted = stopRequested().raised();
  report.stop_signal = firstStopSignal();
  report.tool_version = BBCHECK_VERSION;

  // A request shows only what must be fixed before it, unless -v.
  TextStyle style{colorWanted(args.color, args.no_color), args.quiet, args.verbose,
                  args.request && !args.verbose};
  style.width = terminalWidth();
  std::cout << stdoutFormat.render(report, style) << std::flush;
  // The request quotes host facts: they pass the text boundary first.
  if (args.request) printRequest(SafeReport(report).get(), std::cout);
  TextStyle plain{false, args.quiet, args.verbose};
  bool allWritten = true;
  for (const auto& t : targets) {
    try {
      writeReportTarget(t.where, t.format->render(report, plain));
    } catch (const std::exception& e) {
      std::cerr << "bbcheck: " << safeText(e.what()) << "\n";
      allWritten = false;  // the other reports are still written
    }
  }
  // An interrupted run says so before a report that could not be written.
  if (!report.interrupted && !allWritten) return kExitUsage;
  return exitCodeOf(report);
}

void addRunOptions(CLI::App& command, RunArgs& args) {
  bool isRun = !args.request;  // request runs the host stage and prints text
  addProfileOptions(command, args.profiles, args.sets);
  command.add_option("--only", args.only,
                     "run only checks matching: ID, PREFIX. or tag:NAME (repeatable, or a,b)");
  command.add_option("--skip", args.skip,
                     "skip checks matching: ID, PREFIX. or tag:NAME (repeatable, or a,b)");
  if (isRun)
    command.add_option("--format", args.format,
                       "report on stdout: " + formatChoices(ReportUse::Stdout));
  command.add_option("--report", args.reports, "also write a report: FORMAT:PATH (repeatable)");
  command.add_option("--jobs", args.jobs, "probes running at once (default 64)");
  command.add_option("--timeout", args.timeout,
                     "timeout for every check, replacing the profile's (e.g. 2s)");
  command.add_option("--deadline", args.deadline, "deadline for the whole run (default 2m)");
  command.add_option("--retry-for", args.retry_for,
                     "run failing checks again until they pass or this time is used, within the "
                     "deadline (e.g. 1m: a master started in the same CI job)");
  command.add_option("--waivers", args.waiver_files,
                     "accept known failures: a YAML file of waivers, each with id, why and until "
                     "(a date); a waived check does not count until its date");
  command.add_option("--waive", args.waive,
                     "accept one check's failure for this run: ID or ID:YYYY-MM-DD (repeatable, or "
                     "a,b)");
  command.add_option("--fail-on", args.fail_on,
                     "lowest severity that makes the host not ready: required, "
                     "recommended or info (default required)");
  command
      .add_option("--color", args.color,
                  "colour: auto (a terminal, unless NO_COLOR; FORCE_COLOR or CLICOLOR_FORCE "
                  "force it), always or never (default auto)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--no-color", args.no_color, "no colour: the same as --color=never");
  addVerbosityFlags(command, args.quiet, args.verbose);
  if (isRun)
    command.add_option("--stage", args.stage,
                       "judge only host-stage checks (before the farm sends credentials), only "
                       "worker-stage ones, or all (default: all once the build area exists, else "
                       "host)");
}

CommandRunner defineRunCommand(CLI::App& command) {
  auto args = std::make_shared<RunArgs>();
  addRunOptions(command, *args);
  command.footer(varsFooter);
  return [args] { return runCommand(*args); };
}

}  // namespace bbcheck
