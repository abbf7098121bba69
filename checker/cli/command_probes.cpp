// bbcheck probes (see command_probes.h).
#include "checker/cli/command_probes.h"

#include <fmt/format.h>

#include <iostream>

#include "checker/cli/exit_codes.h"
#include "probes/builtin/builtin_probes.h"

namespace bbcheck {
namespace {

const char* typeName(ParamType type) {
  switch (type) {
    case ParamType::String:
      return "string";
    case ParamType::Path:
      return "path";
    case ParamType::Regex:
      return "regex";
    case ParamType::Int:
      return "integer";
    case ParamType::Bool:
      return "bool";
    case ParamType::Size:
      return "size";
    case ParamType::Duration:
      return "duration";
    case ParamType::StringList:
      return "list of strings";
    case ParamType::IntList:
      return "list of integers";
  }
  return "string";
}

}  // namespace

CommandRunner defineProbesCommand(CLI::App&) {
  return probesCommand;
}

int probesCommand() {
  for (const ProbeKind& kind : builtinRegistry().all()) {
    std::cout << fmt::format("{}\n    {}\n", kind.name, kind.summary);
    for (const auto& p : kind.params) {
      std::string note = p.required                ? "required"
                         : p.default_value.empty() ? "optional"
                                                   : "default " + p.default_value;
      std::string choices;
      for (const auto& c : p.choices) choices += (choices.empty() ? " (" : "|") + c;
      if (!choices.empty()) choices += ")";
      std::cout << fmt::format("    {:<16} {}{}, {}: {}\n", p.name, typeName(p.type), choices, note,
                               p.help);
    }
    std::cout << fmt::format("    {:<16} duration, default from the profile: the check's timeout\n",
                             "timeout");
  }
  return kExitReady;
}

}  // namespace bbcheck
