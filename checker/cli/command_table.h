// Every bbcheck command, defined once: its name and one-line summary (what
// `bbcheck --help`, `bbcheck help`, the man page and the completion scripts
// show) and the function that declares its options and operands and returns
// what runs it. cli.cpp makes a CLI11 sub-command of each row; each command's
// work lives in its own command_<name>.cpp. tests/completion_test.cpp
// holds contrib/completion/ and contrib/man/ equal to this table.
//
// A command's usage line is not written here: CLI11 derives it from the
// options and operands the command declares, so it cannot drift from them.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>
#include <vector>

namespace bbcheck {

// Runs a parsed command; returns the exit code (exit_codes.h). Throws
// std::exception for a usage or profile error (exit 2).
using CommandRunner = std::function<int()>;

struct Command {
  std::string_view name;
  std::string_view summary;
  // Declares the options and operands on the command's CLI11 sub-command and
  // returns what runs it once parsed (it holds the parsed values).
  CommandRunner (*define)(CLI::App& command);
};

// The commands in the order --help lists them.
const std::vector<Command>& commandTable();

// `bbcheck [run options]` means `bbcheck run [run options]`.
constexpr std::string_view kDefaultCommand = "run";

bool isCommandName(std::string_view word);

}  // namespace bbcheck
