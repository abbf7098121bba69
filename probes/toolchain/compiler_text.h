// Small text helpers shared by the compiler files: splitting and trimming
// compiler output, joining names for messages, "C" / "C++" labels.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "probes/text.h"

// A namespace of its own: other files keep their own lines().
namespace bbcheck::compiler_text {

inline std::string languageLabel(const std::string& language) {
  return language == "c++" ? "C++" : "C";
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    result.push_back(line);
  }
  return result;
}

inline std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string result;
  for (const auto& part : parts) result += (result.empty() ? "" : separator) + part;
  return result;
}

}  // namespace bbcheck::compiler_text
