// One C or C++ compiler found on the host, as the report's host facts list
// it: what it is, not whether it builds anything.
#pragma once

#include <string>

namespace bbcheck {

struct CompilerFact {
  std::string name;      // "gcc", "clang", "cc", "c++"
  std::string language;  // "c" or "c++"
  std::string path;      // resolved executable
  std::string version;   // "12.2.0"
  std::string target;    // "x86_64-linux-gnu"
};

}  // namespace bbcheck
