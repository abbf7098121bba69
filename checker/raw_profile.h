// A profile as read from YAML and merged along `extends`, before vars are
// substituted and checks are validated. Nodes keep their marks so that any
// later error can still name file:line:column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/profile.h"

namespace bbcheck {

struct RawField {
  YAML::Node node;
  std::string file;  // empty when the field is absent
  YAML::Node key;    // the key it was written under, for "unknown key" errors  // empty when the
                     // field is absent
  // (A default-constructed YAML::Node counts as defined, so it cannot say.)
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
  std::map<std::string, RawVar> vars;
  std::vector<RawCheck> checks;
  RawField onboarding;  // the farm's request form; a child's replaces its parent's
};

// 1-based position of a node in `file`.
SourcePos positionOf(const YAML::Node& node, const std::string& file);

}  // namespace bbcheck
