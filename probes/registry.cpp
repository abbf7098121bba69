#include "probes/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace bbcheck {
namespace {

bool isInteger(ParamType type) {
  return type == ParamType::Int || type == ParamType::IntList;
}

bool isText(ParamType type) {
  return type == ParamType::String || type == ParamType::StringList;
}

// What in a kind's declaration the profile layer could not honour, or "".
std::string declarationProblem(const ProbeKind& kind) {
  if (kind.name.empty()) return "a probe kind has no name";
  if (!kind.run) return fmt::format("probe {} has no run function", kind.name);
  for (const ParamSpec& spec : kind.params) {
    auto problem = [&](const char* why) {
      return fmt::format("probe {}: parameter '{}' {}", kind.name, spec.name, why);
    };
    if (spec.name.empty()) return problem("has no name");
    if (spec.required && !spec.default_value.empty())
      return problem("is required but has a default");
    if (!spec.choices.empty() && !isText(spec.type))
      return problem("lists choices but is not a string");
    bool ranged = spec.min != std::numeric_limits<int64_t>::min() ||
                  spec.max != std::numeric_limits<int64_t>::max();
    if (ranged && !isInteger(spec.type)) return problem("has a range but is not an integer");
    if (spec.min > spec.max) return problem("has an empty range");
  }
  return "";
}

}  // namespace

Registry::Registry(std::vector<ProbeKind> kinds) : kinds_(std::move(kinds)) {
  std::sort(kinds_.begin(), kinds_.end(),
            [](const ProbeKind& a, const ProbeKind& b) { return a.name < b.name; });
  for (const ProbeKind& kind : kinds_) {
    std::string problem = declarationProblem(kind);
    if (!problem.empty()) throw std::invalid_argument(problem);
    if (!byName_.emplace(kind.name, &kind).second)
      throw std::invalid_argument(fmt::format("probe kind '{}' is listed twice", kind.name));
  }
}

const ProbeKind* Registry::find(const std::string& name) const {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : it->second;
}

std::string Registry::names() const {
  std::string out;
  for (const ProbeKind& kind : kinds_) out += (out.empty() ? "" : ", ") + kind.name;
  return out;
}

ProbeKind notSupportedHere(ProbeKind kind) {
  kind.run = [](const Params&, const ProbeContext&) { return Outcome::skip(kNotSupportedHere); };
  kind.read_service_environment = nullptr;
  return kind;
}

}  // namespace bbcheck
