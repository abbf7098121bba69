// A profile as read from YAML and merged along `extends`, before vars are
// substituted and checks are validated. Nodes keep their marks so that any
// later error can still name file:line:column.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/profile/yaml_node.h"

namespace bbcheck {

struct RawField {
  YamlNode node;
  std::string file;  // empty when the field is absent
  YamlNode key;      // the key it was written under, for "unknown key" errors
  bool present() const { return !file.empty(); }
};

struct RawCheck {
  std::string id;
  std::string origin;  // name of the profile that first declared it
  SourcePos pos;
  std::map<std::string, RawField> fields;  // every key of the check's mapping
  RawField default_timeout;                // from `defaults:` of its profile
  RawField default_severity;
};

struct RawVar {
  std::optional<std::string> value;  // none: required, must be set by a child or --set
  SourcePos pos;
};

struct RawProfile {
  std::string name;
  std::string description;
  std::string subject;  // "" when not said: a parent's holds
  std::map<std::string, RawVar> vars;
  std::vector<RawCheck> checks;
  RawField onboarding;  // the farm's request form; a child's replaces its parent's
  RawField stages;      // what gates each stage; a child's replaces its parent's
};

// 1-based position of a node in `file`.
SourcePos positionOf(const YamlNode& node, const std::string& file);

}  // namespace bbcheck
