// Options several commands share (see shared_options.h).
#include "checker/cli/shared_options.h"

#include <fmt/format.h>

#include "probes/text.h"

namespace bbcheck {

void addProfileOptions(CLI::App& command, std::vector<std::string>& profiles,
                       std::vector<std::string>& sets) {
  command.add_option("-p,--profile", profiles,
                     "built-in profile name, YAML file or - (standard input); repeat to layer");
  command.add_option("--set", sets, "override a profile var: NAME=VALUE");
}

void addVerbosityFlags(CLI::App& command, bool& quiet, bool& verbose) {
  CLI::Option* q = command.add_flag("-q,--quiet", quiet, "print only the verdict line");
  CLI::Option* v = command.add_flag(
      "-v,--verbose", verbose, "list every check, with why, fix, observed and expected under each");
  // Both at once asks for two reports: say so rather than pick one.
  q->excludes(v);
}

std::vector<std::string> commaSeparated(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& value : values) {
    size_t at = 0;
    for (size_t comma; (comma = value.find(',', at)) != std::string::npos; at = comma + 1)
      items.push_back(value.substr(at, comma - at));
    items.push_back(value.substr(at));
  }
  return items;
}

std::string formatChoices(ReportUse use) {
  std::vector<std::string> names = reportFormatNames(use);
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

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

const ReportFormat& formatOrThrow(const std::string& name, const std::string& flag, ReportUse use) {
  const ReportFormat* format = findReportFormat(name, use);
  if (!format)
    throw UsageError(fmt::format("{} {}: unknown format ({})", flag, name,
                                 joinedWith(reportFormatNames(use), ", ")));
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

}  // namespace bbcheck
