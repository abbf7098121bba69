#include "checker/profile/profile_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "checker/profile/profile_error.h"
#include "checker/profile/raw_profile.h"
#include "checker/profile/vars.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// ${var} in a section's value, against the profile's final var values
// (kept literal: a value holding "${" is not expanded again).
std::string substituteVars(const std::string& text, const std::map<std::string, std::string>& vars,
                           const SourcePos& pos) {
  std::map<std::string, VarExpander::Var> declared;
  for (const auto& [name, value] : vars) {
    std::string literal;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value.compare(i, 2, "${") == 0) literal += '$';
      literal += value[i];
    }
    declared[name] = {literal, pos};
  }
  VarExpander expander(std::move(declared));
  return expander.expand(text, pos);
}

}  // namespace

ProfileSection::ProfileSection(const YamlNode& node, const std::string& file,
                               const std::string& what, const std::vector<std::string>& keys,
                               const std::map<std::string, std::string>& vars)
    : node_(node), file_(file), what_(what), vars_(vars) {
  if (!node.isMap())
    throw ProfileError(positionOf(node, file), fmt::format("'{}' must be a mapping", what));
  std::set<std::string> seen;
  for (const auto& entry : node.entries()) {
    SourcePos at = positionOf(entry.first, file);
    std::string key = entry.first.isScalar() ? entry.first.scalar() : "?";
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      throw ProfileError(at, fmt::format("unknown key '{}' in {} (allowed: {})", key, what,
                                         joinedWith(keys, ", ")));
    if (!seen.insert(key).second)
      throw ProfileError(at, fmt::format("duplicate key '{}' in {}", key, what));
  }
}

SourcePos ProfileSection::pos(const std::string& key) const {
  YamlNode value = node_.find(key);
  return positionOf(value.isDefined() ? value : node_, file_);
}

std::string ProfileSection::text(const std::string& key, bool required) const {
  YamlNode value = node_.find(key);
  if (!value.isDefined() || value.isNull()) {
    if (required)
      throw ProfileError(positionOf(node_, file_), fmt::format("{} has no '{}'", what_, key));
    return "";
  }
  if (!value.isScalar())
    throw ProfileError(positionOf(value, file_),
                       fmt::format("'{}' in {} must be a single value", key, what_));
  return substituteVars(value.scalar(), vars_, positionOf(value, file_));
}

std::vector<std::string> ProfileSection::list(const std::string& key) const {
  YamlNode value = node_.find(key);
  std::vector<std::string> out;
  if (!value.isDefined() || value.isNull()) return out;
  if (value.isScalar()) return {text(key, false)};
  if (!value.isSequence())
    throw ProfileError(positionOf(value, file_),
                       fmt::format("'{}' in {} must be a list", key, what_));
  for (const auto& item : value.items()) {
    if (!item.isScalar())
      throw ProfileError(positionOf(item, file_),
                         fmt::format("items of '{}' in {} must be single values", key, what_));
    out.push_back(substituteVars(item.scalar(), vars_, positionOf(item, file_)));
  }
  return out;
}

}  // namespace bbcheck
