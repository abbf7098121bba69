// Finding and asking the C/C++ compilers, shared by the `compiler`, `header`
// and `library` probes: which compiler a build would use ($CC / $CXX first,
// as configure and make do), what it is, and running it on a program given
// on stdin under the check's deadline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/process.h"
#include "probes/toolchain/compiler_fact.h"

namespace bbcheck {

// Probe kind "compiler": the C or C++ compiler configure would pick builds a program.
ProbeKind compilerProbe();

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

// Runs the compiler with `args` after its own leading ones, `input` on stdin.
// A check's ProbeContext as `limit` judges it by its work past the check's
// deadline (probes/program_limit.h).
ProcessResult runCompiler(const CompilerCandidate& compiler, const std::vector<std::string>& args,
                          const ProgramLimit& limit, const std::string& input = "");

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

// "-x c" / "-x c++".
std::vector<std::string> languageFlags(const std::string& language);

// Arguments that compile the program given on stdin and link it to `output`,
// with `flags` (libraries) after it. "-x none" ends the language setting, as
// pkg-config may name archives (libfoo.a), which are not source.
std::vector<std::string> linkFromStdinArgs(const std::string& language, const std::string& output,
                                           const std::vector<std::string>& flags = {});

// The line of compiler/linker output that says what went wrong ("fatal error:
// zlib.h: No such file or directory", "/usr/bin/ld: cannot find -lfoo"),
// without the "<stdin>:1:10: " prefix. Empty when there is none.
std::string firstErrorLine(const std::string& output);

// Splits pkg-config output ("-I/a -DX=1 -lz") into arguments.
std::vector<std::string> splitFlags(const std::string& text);

struct PkgConfigFlags {
  bool known = false;              // pkg-config ran and knows the package
  std::vector<std::string> flags;  // its answer to `what` (--cflags, --libs)
  std::string problem;             // why not known: "pkg-config does not know foo"
  bool timed_out = false;
  std::string stop_note;  // when timed out: ProcessResult::stop_note
};

PkgConfigFlags pkgConfig(const std::string& package, const std::string& what,
                         const ProgramLimit& limit);

// A private directory for compiler output, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::string error_;
};

}  // namespace bbcheck
