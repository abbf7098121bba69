// Which C/C++ compilers a build would use and what they are
// (compiler_discovery.cpp): $CC / $CXX first, as configure and make do, then
// the usual names on PATH; each described from one `-v` run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/program_limit.h"
#include "probes/toolchain/compiler_fact.h"

namespace bbcheck {

struct CompilerCandidate {
  std::string name;                  // "gcc", or $CC's value ("ccache gcc")
  std::string env;                   // "CC" / "CXX" when it came from there
  std::vector<std::string> command;  // program and leading arguments
  std::string path;                  // the program on PATH; "" when not found
};

// The compilers to try for `language` ("c" or "c++"), in the order CPython's
// configure picks them: $CC (or $CXX) when set, then gcc, cc, clang (g++,
// c++, clang++). `path` is filled in.
std::vector<CompilerCandidate> compilerCandidates(const std::string& language);

// "$CC, gcc, cc, clang": for messages.
std::string triedList(const std::string& language);

// Why a candidate with no `path` was not found: "/opt/cc does not exist",
// "/opt/cc is not executable" or "gcc not found on PATH".
std::string notFound(const CompilerCandidate& compiler);

// A candidate for one compiler named by the user ("clang", "/opt/x/gcc").
CompilerCandidate namedCompiler(const std::string& name);

// The compiler a header or library check uses: the one named, else the first
// candidate found on PATH (the one configure picks). Empty when there is
// none, or $CC names one that is missing; `why` then says why.
std::optional<CompilerCandidate> pickCompiler(const std::string& language, const std::string& name,
                                              std::string& why);

// The observed fields that name the compiler a check used:
// {"compiler": displayName, "compiler_path": the real binary}.
Object compilerObserved(const CompilerCandidate& compiler);

// "gcc", or "$CC=ccache gcc" for the one from the environment.
std::string displayName(const CompilerCandidate& compiler);

struct CompilerDescription {
  CompilerFact fact;
  std::string family;      // "gcc", "clang": the word before "version" in -v
  bool timed_out = false;  // it did not answer before the deadline
  std::string stop_note;   // then: ProcessResult::stop_note
};

// Version and target from one `-v` run (gcc and clang both print "... version
// X" and "Target: T"); falls back to -dumpfullversion / -dumpmachine.
CompilerDescription describeCompiler(const CompilerCandidate& compiler, const std::string& language,
                                     const ProgramLimit& limit);

// Every compiler found for C and C++ (not test-compiled), for the report.
std::vector<CompilerFact> detectCompilers(Clock::time_point deadline);

// `path` with symlinks resolved ("/usr/bin/cc" -> "/usr/bin/x86_64-linux-gnu-gcc-12");
// `path` itself when it cannot be resolved.
std::string resolvedPath(const std::string& path);

}  // namespace bbcheck
