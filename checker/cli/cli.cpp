#include "checker/cli/cli.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <future>
#include <iostream>
#include <system_error>

#include "checker/cli/cli_style.h"
#include "checker/cli/command_fleet.h"
#include "checker/cli/commands.h"
#include "checker/cli/progress_line.h"
#include "checker/profile/profile_loader.h"
#include "checker/profile/units.h"
#include "checker/report/report.h"
#include "checker/report/report_target.h"
#include "checker/report/safe_text.h"
#include "checker/run/scheduler.h"
#include "checker/run/selection.h"
#include "checker/run/service_rerun.h"
#include "checker/run/stage.h"
#include "probes/process.h"
#include "probes/registry.h"

namespace bbcheck {
namespace {

constexpr int kExitReady = 0;
constexpr int kExitNotReady = 1;
constexpr int kExitUsage = 2;

// SIGINT, SIGTERM and SIGHUP all end a run the same way: the scheduler
// notices the flag, the programs probes started are killed, probes get a
// moment to remove their scratch files, and the reports are written with
// the unfinished checks skipped; the exit code is 128 + the first signal.
std::atomic<bool> gInterrupted{false};
std::atomic<int> gFirstSignal{0};
std::atomic<int> gSignalCount{0};

extern "C" void onStopSignal(int signal) {
  int none = 0;
  gFirstSignal.compare_exchange_strong(none, signal);
  gInterrupted = true;
  // A third signal means "now": stop the programs and leave at once.
  if (gSignalCount.fetch_add(1) + 1 >= 3) {
    killRunningProcessesFromSignal();
    ::_exit(128 + gFirstSignal.load());
  }
}

void handleStopSignals() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunArgs {
  std::vector<std::string> profiles;
  std::vector<std::string> sets;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::string format = "text";
  std::vector<std::string> reports;
  int jobs = 64;
  std::string timeout;
  std::string deadline = "2m";
  std::string fail_on = "required";
  bool no_color = false;
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
  std::string stage;     // "": automatic (see planStages)
  bool request = false;  // bbcheck request: the host stage, then the farm's form
};

LoadOptions loadOptions(const std::vector<std::string>& sets) {
  LoadOptions options;
  for (const auto& set : sets) {
    auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("--set {}: expected NAME=VALUE", set));
    options.overrides[set.substr(0, eq)] = set.substr(eq + 1);
  }
  return options;
}

ReportFormat formatOrThrow(const std::string& name, const std::string& flag) {
  auto format = parseReportFormat(name);
  if (!format)
    throw UsageError(
        fmt::format("{} {}: unknown format (text, json, junit, tap, prometheus)", flag, name));
  return *format;
}

Milliseconds durationOrThrow(const std::string& text, const std::string& flag) {
  auto ms = parseDuration(text);
  if (!ms || *ms <= 0)
    throw UsageError(fmt::format("{} {}: expected a duration like 500ms, 3s or 1m", flag, text));
  return Milliseconds(*ms);
}

Severity failOnOrThrow(const std::string& text) {
  if (text == "required") return Severity::Required;
  if (text == "recommended") return Severity::Recommended;
  if (text == "info") return Severity::Info;
  throw UsageError(fmt::format("--fail-on {}: expected required, recommended or info", text));
}

std::optional<StageScope> stageOrThrow(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto scope = parseStageScope(text);
  if (!scope) throw UsageError(fmt::format("--stage {}: expected host, worker or all", text));
  return scope;
}

struct ReportTarget {
  ReportFormat format;
  ResolvedTarget where;
};

std::vector<ReportTarget> reportTargets(const std::vector<std::string>& specs) {
  std::vector<ReportTarget> targets;
  for (const auto& spec : specs) {
    auto colon = spec.find(':');
    if (colon == std::string::npos)
      throw UsageError(fmt::format("--report {}: expected FORMAT:PATH", spec));
    ReportFormat format = formatOrThrow(spec.substr(0, colon), "--report");
    std::string path = spec.substr(colon + 1);
    try {
      targets.push_back({format, checkReportTarget(path)});
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("--report {}: cannot write a report there: {}", spec, e.what()));
    }
  }
  return targets;
}

std::string nowIso8601() {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FORMAT);
}

int runCommand(const RunArgs& args) {
  // Everything the user typed is checked before any probe runs.
  ReportFormat stdoutFormat = formatOrThrow(args.format, "--format");
  std::vector<ReportTarget> targets = reportTargets(args.reports);
  if (args.jobs < 1) throw UsageError(fmt::format("--jobs {}: expected 1 or more", args.jobs));
  SchedulerOptions options;
  options.jobs = args.jobs;
  if (!args.timeout.empty()) options.timeout = durationOrThrow(args.timeout, "--timeout");
  options.deadline = durationOrThrow(args.deadline, "--deadline");
  Severity failOn = failOnOrThrow(args.fail_on);
  Profile profile = loadProfiles(args.profiles, loadOptions(args.sets));
  if (args.request && !profile.onboarding)
    throw UsageError(fmt::format(
        "request: profile {} names no farm request form (its onboarding: section)", profile.name));
  options.derived = addServiceReruns(profile, {args.profiles, args.sets, args.timeout, args.jobs});
  Selection selection = selectChecks(profile, args.only, args.skip, options.derived);
  std::vector<std::string>& skipReasons = selection.skip_reasons;
  StagePlan stages =
      planStages(profile, args.request ? StageScope::Host : stageOrThrow(args.stage));
  mergeSkipReasons(skipReasons, stages.skip_reasons);

  // The request names the compilers and isolation too.
  bool structured = stdoutFormat != ReportFormat::Text || args.request;
  for (const auto& t : targets) structured |= t.format != ReportFormat::Text;
  auto started = Clock::now();
  std::string startedAt = nowIso8601();
  handleStopSignals();
  // Host facts are read while the checks run; asking compilers for their
  // versions costs processes, so only structured reports pay for it.
  Milliseconds factsTime = std::min(options.deadline, Milliseconds(5000));
  std::future<HostFacts> facts;
  try {
    facts = std::async(std::launch::async, [structured, started, factsTime] {
      return collectHostFacts(started + factsTime, structured);
    });
  } catch (const std::system_error&) {
    // No thread to spare (RLIMIT_NPROC): read them after the checks.
  }

  options.selected = selection.selected;
  options.interrupted = &gInterrupted;
  options.on_interrupt = stopAllProcesses;
  ProgressLine progress(!args.quiet && ::isatty(STDERR_FILENO));
  if (progress.enabled())
    options.on_progress = [&progress](const Progress& p) { progress.show(p); };
  std::vector<CheckResult> results = runChecks(profile, skipReasons, options);
  progress.clear();
  // Whatever a late signal interrupted, no program may outlive the run.
  if (gInterrupted) stopAllProcesses();

  RunReport report;
  report.profile = &profile;
  report.host =
      facts.valid() ? facts.get() : collectHostFacts(Clock::now() + factsTime, structured);
  report.started_at = startedAt;
  report.duration_ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - started).count();
  report.results = std::move(results);
  report.fail_on = failOn;
  report.verdict = computeVerdict(report.results, failOn);
  report.stage = stages.scope;
  attachWorkerRequest(report);
  report.interrupted = gInterrupted.load();
  report.tool_version = BBCHECK_VERSION;

  // A request shows only what must be fixed before it, unless -v.
  TextStyle style{colorWanted(args.color, args.no_color), args.quiet, args.verbose,
                  args.request && !args.verbose};
  std::cout << renderReport(stdoutFormat, report, style) << std::flush;
  if (args.request) printRequest(report, std::cout);
  TextStyle plain{false, args.quiet, args.verbose};
  bool allWritten = true;
  for (const auto& t : targets) {
    try {
      writeReportTarget(t.where, renderReport(t.format, report, plain));
    } catch (const std::exception& e) {
      std::cerr << "bbcheck: " << safeText(e.what()) << "\n";
      allWritten = false;  // the other reports are still written
    }
  }
  if (report.interrupted) return 128 + gFirstSignal.load();
  if (!allWritten) return kExitUsage;
  return report.verdict == Verdict::Ready ? kExitReady : kExitNotReady;
}

// `bbcheck [run options]` means `bbcheck run [run options]`.
std::vector<std::string> withDefaultCommand(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  static const std::vector<std::string> commands = {"run",  "list", "validate", "probes", "request",
                                                    "show", "diff", "fleet",    "help"};
  bool hasCommand =
      !args.empty() && std::find(commands.begin(), commands.end(), args[0]) != commands.end();
  bool topLevelFlag = !args.empty() && (args[0] == "--help" || args[0] == "-h" ||
                                        args[0] == "--version" || args[0] == "-V");
  if (!hasCommand && !topLevelFlag) args.insert(args.begin(), "run");
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  return args;
}

void addRunOptions(CLI::App* cmd, RunArgs& args, bool isRun) {
  cmd->add_option("-p,--profile", args.profiles,
                  "built-in profile name, YAML file or - (standard input); repeat to layer");
  cmd->add_option("--set", args.sets, "override a profile var: NAME=VALUE");
  cmd->add_option("--only", args.only, "run only checks matching: ID, PREFIX. or tag:NAME");
  cmd->add_option("--skip", args.skip, "skip checks matching: ID, PREFIX. or tag:NAME");
  if (isRun)
    cmd->add_option("--format", args.format,
                    "report on stdout: text, json, junit, tap or prometheus");
  cmd->add_option("--report", args.reports, "also write a report: FORMAT:PATH (repeatable)");
  cmd->add_option("--jobs", args.jobs, "probes running at once (default 64)");
  cmd->add_option("--timeout", args.timeout,
                  "timeout for every check, replacing the profile's (e.g. 2s)");
  cmd->add_option("--deadline", args.deadline, "deadline for the whole run (default 2m)");
  cmd->add_option("--fail-on", args.fail_on,
                  "lowest severity that makes the host not ready: required, "
                  "recommended or info (default required)");
  cmd->add_option("--color", args.color,
                  "colour: auto (a terminal, unless NO_COLOR; FORCE_COLOR or CLICOLOR_FORCE "
                  "force it), always or never (default auto)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-color", args.no_color, "no colour: the same as --color=never");
  cmd->add_flag("-q,--quiet", args.quiet, "print only the verdict line");
  cmd->add_flag("-v,--verbose", args.verbose,
                "print why, fix, observed and expected under every check");
  if (isRun)
    cmd->add_option("--stage", args.stage,
                    "judge only host-stage checks (before the farm sends credentials), only "
                    "worker-stage ones, or all (default: all once the build area exists, else "
                    "host)");
}

struct ShowArgs {
  std::string path;
  std::string format = "text";
  std::string fail_on;
  bool no_color = false;
  bool quiet = false;
  bool verbose = false;
};

int showWith(const ShowArgs& args) {
  ReportFormat format = formatOrThrow(args.format, "--format");
  std::optional<Severity> failOn;
  if (!args.fail_on.empty()) failOn = failOnOrThrow(args.fail_on);
  TextStyle style{colorWanted("auto", args.no_color), args.quiet, args.verbose};
  return showCommand(args.path, format, failOn, style, std::cout);
}

}  // namespace

int runCli(int argc, char** argv) {
  CLI::App app{
      "bbcheck: is this machine ready to be a Buildbot worker? (default profile: python-buildbot)",
      "bbcheck"};
  app.set_version_flag("-V,--version", std::string("bbcheck ") + BBCHECK_VERSION);
  app.require_subcommand(1);
  RunArgs runArgs;
  auto* run = app.add_subcommand("run", "run a profile's checks and report (the default command)");
  addRunOptions(run, runArgs, true);
  RunArgs requestArgs;
  requestArgs.request = true;
  auto* request = app.add_subcommand(
      "request", "run the host stage, then print the farm's new-worker request, prefilled");
  addRunOptions(request, requestArgs, false);

  ShowArgs showArgs;
  auto* show = app.add_subcommand(
      "show", "re-render and re-judge a received JSON report; exit as run would");
  show->add_option("report", showArgs.path, "the JSON report (- reads standard input)")->required();
  show->add_option("--format", showArgs.format, "text, json, junit or tap (default text)");
  show->add_option("--fail-on", showArgs.fail_on,
                   "judge again: required, recommended or info (default: the report's own)");
  show->add_flag("--no-color", showArgs.no_color, "no colour");
  show->add_flag("-q,--quiet", showArgs.quiet, "print only the verdict line");
  show->add_flag("-v,--verbose", showArgs.verbose,
                 "print why, fix, observed and expected under every check");

  std::string diffOld, diffNew;
  auto* diff = app.add_subcommand(
      "diff", "what changed between two JSON reports of a worker; exit 1 when a check regressed");
  diff->add_option("old", diffOld, "the earlier JSON report")->required();
  diff->add_option("new", diffNew, "the later JSON report")->required();

  std::vector<std::string> listProfiles, listSets;
  bool listVerbose = false;
  auto* list = app.add_subcommand("list", "list a profile's checks: id, severity, probe, tags");
  list->add_option("-p,--profile", listProfiles,
                   "built-in profile name, YAML file or - (standard input); repeat to layer");
  list->add_option("--set", listSets, "override a profile var: NAME=VALUE");
  list->add_flag("-v,--verbose", listVerbose, "also print why, fix and needs");

  std::vector<std::string> files, validateSets;
  auto* validate =
      app.add_subcommand("validate", "check profile files; exit 0 when all are valid, else 2");
  validate->add_option("files", files, "profile files (- reads standard input)")->required();
  validate->add_option("--set", validateSets,
                       "give a value to a var the profile requires: NAME=VALUE");

  auto* probes = app.add_subcommand("probes", "list probe kinds and their parameters");

  FleetArgs fleetArgs;
  auto* fleet = addFleetCommand(app, fleetArgs);
  std::string helpTopic;
  auto* help = app.add_subcommand("help", "help on bbcheck or one of its commands");
  help->add_option("command", helpTopic, "a command: run, list, validate, ...");
  for (CLI::App* command : {run, list}) command->footer(varsFooter);
  oneValuePerOption(app);

  std::vector<std::string> args = withDefaultCommand(argc, argv);
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return reportParseError(app, e);
  }
  if (help->parsed()) return helpCommand(app, helpTopic);
  try {
    if (run->parsed()) return runCommand(runArgs);
    if (request->parsed()) return runCommand(requestArgs);
    if (show->parsed()) return showWith(showArgs);
    if (diff->parsed()) return diffCommand(diffOld, diffNew, std::cout);
    if (list->parsed())
      return listCommand(listProfiles, listSets, loadOptions(listSets), listVerbose);
    if (validate->parsed()) return validateCommand(files, loadOptions(validateSets));
    if (probes->parsed()) return probesCommand();
    if (fleet->parsed()) return fleetCommand(fleetArgs);
  } catch (const std::exception& e) {
    // Profile and usage errors, and a report that could not be written.
    std::cerr << "bbcheck: " << safeText(e.what()) << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}

}  // namespace bbcheck
