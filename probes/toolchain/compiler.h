// Asking the C/C++ compilers, shared by the `compiler`, `header` and
// `library` probes: running one on a program given on stdin under the
// check's deadline, and pkg-config. Which compiler a build would use, and
// what it is, is compiler_discovery.h's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/process.h"
#include "probes/scratch_dir.h"
#include "probes/toolchain/compiler_discovery.h"
#include "probes/toolchain/compiler_fact.h"

namespace bbcheck {

// Probe kind "compiler": the C or C++ compiler configure would pick builds a program.
ProbeKind compilerProbe();

// Runs the compiler with `args` after its own leading ones, `input` on stdin.
// A check's ProbeContext as `limit` judges it by its work past the check's
// deadline (probes/program_limit.h).
ProcessResult runCompiler(const CompilerCandidate& compiler, const std::vector<std::string>& args,
                          const ProgramLimit& limit, const std::string& input = "");

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

}  // namespace bbcheck
