// "Did you mean ...?" as git and kubectl say it: the command or option
// nearest to what was typed, when one is near enough to be what was meant.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace bbcheck {

// The candidate nearest to `typed` (optimal string alignment distance: an
// edit is an insertion, a deletion, a change or a swap of two neighbours),
// or "" when none is within a third of its length (at least 1, at most 3).
std::string nearestWord(std::string_view typed, const std::vector<std::string>& candidates);

// For a parse error of `command`'s arguments (`args`, in order, the
// command's name first): " Did you mean --format?" for the first option it
// does not know that is near one it does, else "".
std::string optionSuggestion(const CLI::App& command, const std::vector<std::string>& args);

// The command names, for `bbcheck rnu`.
std::vector<std::string> commandNames();

}  // namespace bbcheck
