// bbcheck show (see command_show.h).
#include "checker/cli/command_show.h"

#include <iostream>

#include "checker/cli/cli_style.h"
#include "checker/cli/exit_codes.h"
#include "checker/cli/shared_options.h"
#include "checker/report/report_reader.h"

namespace bbcheck {
namespace {

struct ShowArgs {
  std::string path;
  std::string format = "text";
  std::string fail_on;
  bool no_color = false;
  bool quiet = false;
  bool verbose = false;
};

int showWith(const ShowArgs& args) {
  const ReportFormat& format = formatOrThrow(args.format, "--format", ReportUse::Show);
  std::optional<Severity> failOn;
  if (!args.fail_on.empty()) failOn = failOnOrThrow(args.fail_on);
  TextStyle style{colorWanted("auto", args.no_color), args.quiet, args.verbose};
  style.width = terminalWidth();
  return showCommand(args.path, format, failOn, style, std::cout);
}

}  // namespace

CommandRunner defineShowCommand(CLI::App& command) {
  auto args = std::make_shared<ShowArgs>();
  command.add_option("report", args->path, "the JSON report (- reads standard input)")->required();
  command.add_option("--format", args->format, formatChoices(ReportUse::Show) + " (default text)");
  command.add_option("--fail-on", args->fail_on,
                     "judge again: required, recommended or info (default: the report's own)");
  command.add_flag("--no-color", args->no_color, "no colour");
  addVerbosityFlags(command, args->quiet, args->verbose);
  return [args] { return showWith(*args); };
}

int showCommand(const std::string& path, const ReportFormat& format, std::optional<Severity> failOn,
                const TextStyle& style, std::ostream& out) {
  std::unique_ptr<ReceivedReport> received = readReport(path);
  RunReport& report = received->report;
  if (failOn) {
    report.fail_on = *failOn;
    report.verdict = computeVerdict(report.results, report.fail_on);
  }
  out << format.render(report, style) << std::flush;
  // An interrupted run's report says which signal stopped it.
  return exitCodeOf(report);
}

}  // namespace bbcheck
