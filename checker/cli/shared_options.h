// The options several commands share, declared once (so that run, list and
// show describe them alike), and the checks of option values, made before a
// command does anything: each mistake is a UsageError naming the option
// (exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/profile/profile_loader.h"
#include "checker/profile/units.h"
#include "checker/report/report_formats.h"
#include "checker/run/stage.h"

namespace bbcheck {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// -p/--profile and --set, of run, request and list.
void addProfileOptions(CLI::App& command, std::vector<std::string>& profiles,
                       std::vector<std::string>& sets);

// -q/--quiet and -v/--verbose, of run, request and show.
void addVerbosityFlags(CLI::App& command, bool& quiet, bool& verbose);

// Values of a repeatable option that also takes comma lists (--only a,b):
// each repeated value split at its commas, in order.
std::vector<std::string> commaSeparated(const std::vector<std::string>& values);

// The report formats usable for `use`, as help text lists them:
// "text, json, junit, tap or prometheus".
std::string formatChoices(ReportUse use);

// --set NAME=VALUE... as the profile loader takes them.
LoadOptions loadOptions(const std::vector<std::string>& sets);

// The format `name` given to `flag`, from the report format table.
const ReportFormat& formatOrThrow(const std::string& name, const std::string& flag, ReportUse use);

// A positive duration such as 500ms, 3s or 1m.
Milliseconds durationOrThrow(const std::string& text, const std::string& flag);

// --fail-on: required, recommended or info.
Severity failOnOrThrow(const std::string& text);

// --stage: host, worker or all; "" (not given) is nullopt.
std::optional<StageScope> stageOrThrow(const std::string& text);

}  // namespace bbcheck
