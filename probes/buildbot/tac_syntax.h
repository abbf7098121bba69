// buildbot.tac as Python reads it: the interpreter that runs buildbot-worker
// (the #! line of the `buildbot-worker` program) compiles the file without
// running it, exactly as twistd does before executing it. A syntax error there
// stops the worker before it logs anything useful.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/program_limit.h"

namespace bbcheck {

// The interpreter of the `buildbot-worker` found on PATH, from its #! line
// (`#!/usr/bin/env python3` resolved on PATH); else python3 on PATH. Empty
// when neither is found. `how` says where it came from.
std::string workerPython(std::string* how);

struct TacSyntax {
  bool decided = false;    // false: the interpreter could not tell (see problem)
  bool ok = false;         // compiled
  int line = 0;            // of the error, 1-based (0: unknown)
  int column = 0;          // 1-based, as Python counts it (0: unknown)
  std::string message;     // Python's message, e.g. "invalid syntax"
  std::string problem;     // why undecided
  bool timed_out = false;  // undecided because Python ran out of time
  std::string interpreter;
};

// Compiles `file` with `python` (text mode, as twistd's loader reads it),
// stopping as `limit` says. Python's message never carries the offending line,
// but may quote a character of it ("invalid character '€' (U+20AC)"): any
// quoted fragment of the password is masked.

TacSyntax compileTac(const std::string& file, const std::string& python, const ProgramLimit& limit);

// `message` with every '...' fragment that occurs in `passwordText` (the
// source text of the tac's passwd value) replaced by '***'.
std::string maskPasswordFragments(const std::string& message, const std::string& passwordText);

}  // namespace bbcheck
