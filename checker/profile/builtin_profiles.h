// The profiles shipped in profiles/*.yaml, compiled into the binary.
#pragma once

#include <string>
#include <vector>

namespace bbcheck {

struct BuiltinProfile {
  std::string name;  // file name without .yaml
  std::string text;  // the YAML as shipped
};

const std::vector<BuiltinProfile>& builtinProfiles();

}  // namespace bbcheck
