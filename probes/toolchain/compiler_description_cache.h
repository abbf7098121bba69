// Descriptions of compilers (-v) kept per real binary, so one reached through
// several names (cc and gcc, clang and clang++) is asked once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "probes/toolchain/compiler.h"

namespace bbcheck {

class DescriptionCache {
 public:
  // The description of `c` for `language`, with the name and language its
  // own even when the binary was asked under another name.
  CompilerDescription get(const CompilerCandidate& c, const std::string& language,
                          Clock::time_point deadline);

 private:
  std::map<std::vector<std::string>, CompilerDescription> cache_;
};

}  // namespace bbcheck
