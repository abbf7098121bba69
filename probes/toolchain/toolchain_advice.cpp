#include "probes/toolchain/toolchain_advice.h"

#include <fmt/format.h>

#include <cstdlib>
#include <utility>

#include "probes/process.h"
#include "probes/toolchain/compiler_text.h"

namespace bbcheck {

namespace {

std::string pathText() {
  const char* path = std::getenv("PATH");
  return path != nullptr ? path : "(unset)";
}

std::string tmpdirText() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? fmt::format("TMPDIR ({})", tmp) : "/tmp";
}

// gcc quotes with ‘’ in a UTF-8 locale and '' in C; clang with "".
bool namesProgram(const std::string& text, const char* program) {
  const std::pair<const char*, const char*> quotes[] = {
      {"'", "'"}, {"\xe2\x80\x98", "\xe2\x80\x99"}, {"\"", "\""}};
  for (const auto& [open, close] : quotes) {
    if (contains(text, fmt::format("{}{}{}", open, program, close).c_str())) return true;
  }
  return false;
}

}  // namespace

std::string environmentProblem(const std::string& output) {
  for (const auto& line : compiler_text::lines(output)) {
    // gcc: "collect2: fatal error: cannot find ‘ld’"; clang: "error: unable
    // to execute command: Executable "ld" doesn't exist!"
    bool missing = contains(line, "cannot find") || contains(line, "cannot execute") ||
                   contains(line, "doesn't exist") || contains(line, "unable to execute");
    if (missing && namesProgram(line, "ld"))
      return fmt::format("the linker ld is not on PATH (PATH={}; Debian package binutils)",
                         pathText());
    if (missing && namesProgram(line, "as"))
      return fmt::format("the assembler as is not on PATH (PATH={}; Debian package binutils)",
                         pathText());
    if (contains(line, "No space left on device"))
      return fmt::format("{} is full: the compiler cannot write its temporary files there",
                         tmpdirText());
    if (contains(line, "Disk quota exceeded"))
      return fmt::format(
          "the disk quota of {} is used up: the compiler cannot write its "
          "temporary files there",
          tmpdirText());
  }
  return "";
}

int debianPackageInstalled(const std::string& package, const ProgramLimit& limit) {
  if (findOnPath("dpkg-query").empty()) return -1;
  ProcessResult r = runProcess("dpkg-query", {"-W", "-f=${db:Status-Abbrev}", package}, limit);
  if (!r.started || r.timed_out) return -1;
  // "ii " installed; "un " / "rc " or exit 1 (never heard of it): not.
  return r.exit_code == 0 && r.out.rfind("ii", 0) == 0 ? 1 : 0;
}

std::string packageAdvice(const std::string& package, const std::string& otherwise,
                          const ProgramLimit& limit) {
  if (package.empty()) return "";
  if (debianPackageInstalled(package, limit) == 1)
    return fmt::format("the Debian package {} is installed, so installing it cannot help: {}",
                       package, otherwise);
  return fmt::format("install the Debian package {}", package);
}

}  // namespace bbcheck
