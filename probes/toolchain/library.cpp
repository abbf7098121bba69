#include "probes/toolchain/library.h"

#include <fmt/format.h>

#include <filesystem>

#include "probes/param_binding.h"
#include "probes/text.h"
#include "probes/toolchain/compiler.h"
#include "probes/toolchain/toolchain_advice.h"

namespace bbcheck {

std::string linkTestProgram(const std::string& symbol) {
  if (symbol.empty()) return "int main(void) { return 0; }\n";
  return fmt::format(
      "#ifdef __cplusplus\nextern \"C\"\n#endif\nchar {0}(void);\n"
      "int main(void) {{ return {0}() != 0; }}\n",
      symbol);
}

namespace {

struct LibraryParams {
  std::string name;
  std::string pkg_config;
  std::string symbol;
  std::string language = "c";
  std::string package;
  std::string compiler;
};

Outcome runLibrary(const LibraryParams& params, const ProbeContext& ctx) {
  const std::string& name = params.name;
  const std::string& language = params.language;
  const std::string& pc = params.pkg_config;
  const std::string& symbol = params.symbol;
  const std::string& package = params.package;

  std::string why;
  auto cc = pickCompiler(language, params.compiler, why);
  if (!cc) return Outcome::error(fmt::format("cannot link -l{}: {}", name, why));

  Object observed = compilerObserved(*cc);
  Object expected;
  expected["library"] = name;
  if (!symbol.empty()) expected["symbol"] = symbol;
  if (!package.empty()) expected["package"] = package;

  std::vector<std::string> flags{"-l" + name};
  std::string note;
  if (!pc.empty()) {
    expected["pkg_config"] = pc;
    PkgConfigFlags libs = pkgConfig(pc, "--libs", ctx);
    if (libs.timed_out) {
      Outcome error = Outcome::error(libs.problem, observed);
      error.fix = outOfTimeFix();
      return error;
    }
    if (libs.known) flags = libs.flags;
    note = libs.problem;
    observed["pkg_config_known"] = libs.known;
  }
  observed["flags"] = Array(flags.begin(), flags.end());

  ScratchDir dir;
  if (!dir.ok()) return Outcome::error(dir.error(), observed);
  std::string output = dir.path() + "/a.out";
  std::vector<std::string> args = linkFromStdinArgs(language, output, flags);
  ProcessResult r = runCompiler(*cc, args, ctx, linkTestProgram(symbol));
  if (!r.started)
    return Outcome::error(fmt::format("cannot run {}: {}", displayName(*cc), r.start_error),
                          observed);
  if (r.timed_out) {
    // A busy host, not a missing library: the profile's fix would say to
    // install what is installed.
    Outcome error = Outcome::error(
        fmt::format("{} did not finish linking {} within the {} ms timeout; {}", displayName(*cc),
                    joinedWith(flags, " "), ctx.timeout.count(), r.stop_note),
        observed);
    error.fix = outOfTimeFix();
    return error;
  }

  std::string what = joinedWith(flags, " ");
  if (!symbol.empty()) what += " (calling " + symbol + ")";
  std::string suffix = note.empty() ? "" : "; " + note;
  if (r.exit_code == 0 && std::filesystem::exists(output))
    return Outcome::pass(fmt::format("{} links {}{}", displayName(*cc), what, suffix), observed,
                         expected);

  std::string error = firstErrorLine(r.err + r.out);
  if (error.empty()) error = fmt::format("exit code {}", r.exit_code);
  observed["error"] = error;
  // No linker, a full TMPDIR: the machine, not the library.
  std::string environment = environmentProblem(r.err + r.out);
  if (!environment.empty()) {
    observed["environment"] = environment;
    return Outcome::error(
        fmt::format("cannot tell whether {} links: {} ({})", what, environment, error), observed);
  }
  std::string advice = packageAdvice(
      package,
      fmt::format("look at $CC, $LDFLAGS and the library search path of {}{}", displayName(*cc),
                  pc.empty() ? "" : ", and pkg-config's answer for " + pc),
      ctx);
  if (!advice.empty()) suffix += "; " + advice;
  return Outcome::fail(
      fmt::format("{} cannot link {}: {}{}", displayName(*cc), what, error, suffix), observed,
      expected);
}

}  // namespace

ProbeKind libraryProbe() {
  return probeKind(
      "library",
      "a program links with a library (-lNAME or pkg-config's --libs), optionally calling a symbol",
      {stringParam("name", &LibraryParams::name, "library name as in -lNAME, e.g. z").required(),
       stringParam("pkg_config", &LibraryParams::pkg_config,
                   "pkg-config package whose --libs are used"),
       stringParam("symbol", &LibraryParams::symbol,
                   "a function the program calls, e.g. zlibVersion"),
       stringParam("language", &LibraryParams::language, "c or c++").oneOf({"c", "c++"}),
       stringParam("package", &LibraryParams::package,
                   "Debian package providing it, for the message"),
       stringParam("compiler", &LibraryParams::compiler,
                   "use this compiler instead of $CC/cc/gcc/clang")},
      runLibrary);
}

}  // namespace bbcheck
