// One mapping of a profile section that is read after vars are final
// (`onboarding:`, `stages:`): its keys checked against the ones it may hold,
// its values read with positions and ${var}s substituted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/profile/yaml_node.h"

namespace bbcheck {

class ProfileSection {
 public:
  // `what` names the section in messages ("onboarding password"); a key
  // not in `keys`, a key given twice or a node that is not a mapping is a
  // ProfileError at its position.
  ProfileSection(const YamlNode& node, const std::string& file, const std::string& what,
                 const std::vector<std::string>& keys,
                 const std::map<std::string, std::string>& vars);

  bool has(const std::string& key) const { return node_.find(key).isDefined(); }
  YamlNode node(const std::string& key) const { return node_.find(key); }
  SourcePos pos(const std::string& key) const;

  // A single value, substituted; "" when absent or null (an error when
  // `required`).
  std::string text(const std::string& key, bool required) const;
  // A list of single values, substituted; one value is a list of one.
  std::vector<std::string> list(const std::string& key) const;

  const std::string& file() const { return file_; }
  const std::map<std::string, std::string>& vars() const { return vars_; }

 private:
  YamlNode node_;
  std::string file_;
  std::string what_;
  const std::map<std::string, std::string>& vars_;
};

}  // namespace bbcheck
