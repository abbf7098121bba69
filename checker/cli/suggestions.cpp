// Suggestions for mistyped commands and options (see suggestions.h).
#include "checker/cli/suggestions.h"

#include <algorithm>

#include "checker/cli/command_table.h"

namespace bbcheck {
namespace {

// Words longer than this are nothing a person typed for an option: no
// suggestion, and no quadratic work on them.
constexpr size_t kLongestWord = 64;

size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t change = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + change});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

}  // namespace

std::string nearestWord(std::string_view typed, const std::vector<std::string>& candidates) {
  if (typed.size() > kLongestWord) return "";
  size_t allowed = std::clamp<size_t>(typed.size() / 3, 1, 3);
  std::string best;
  size_t bestDistance = allowed + 1;
  for (const std::string& candidate : candidates) {
    if (candidate.size() > kLongestWord) continue;
    size_t d = distance(typed, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

std::string optionSuggestion(const CLI::App& command, const std::vector<std::string>& args) {
  std::vector<std::string> known;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) known.push_back("--" + name);
    for (const std::string& name : option->get_snames()) known.push_back("-" + name);
  }
  for (const std::string& arg : args) {
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;  // long options only
    std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string near = nearestWord(name, known);
    if (!near.empty()) return " Did you mean " + near + "?";
  }
  return "";
}

std::vector<std::string> commandNames() {
  std::vector<std::string> names;
  for (const Command& command : commandTable()) names.emplace_back(command.name);
  return names;
}

}  // namespace bbcheck
