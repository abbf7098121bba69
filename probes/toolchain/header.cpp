#include "probes/toolchain/header.h"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "probes/param_binding.h"
#include "probes/toolchain/compiler.h"
#include "probes/toolchain/toolchain_advice.h"

namespace bbcheck {

std::string includedHeaderPath(const std::string& compilerStderr, const std::string& name) {
  std::istringstream in(compilerStderr);
  std::string line, first;
  while (std::getline(in, line)) {
    // Depth 1 is one dot; deeper lines are what the header includes itself.
    if (line.size() < 3 || line[0] != '.' || line[1] != ' ') continue;
    std::string path = std::filesystem::path(line.substr(2)).lexically_normal().string();
    if (path.size() > name.size() &&
        path.compare(path.size() - name.size(), name.size(), name) == 0 &&
        path[path.size() - name.size() - 1] == '/')
      return path;
    if (first.empty()) first = path;  // e.g. a pre-included file named otherwise
  }
  return first;
}

std::vector<std::string> includeSearchDirs(const std::string& compilerStderr) {
  std::vector<std::string> dirs;
  std::istringstream in(compilerStderr);
  std::string line;
  bool inList = false;
  while (std::getline(in, line)) {
    if (line.rfind("#include <...> search starts here:", 0) == 0) {
      inList = true;
    } else if (line.rfind("End of search list.", 0) == 0) {
      break;
    } else if (inList && !line.empty() && line[0] == ' ') {
      std::string dir = line.substr(line.find_first_not_of(' '));
      dirs.push_back(std::filesystem::path(dir).lexically_normal().string());
    }
  }
  return dirs;
}

namespace {

struct HeaderParams {
  std::string name;
  std::string pkg_config;
  std::string language = "c";
  std::string package;
  std::string compiler;
};

Outcome runHeader(const HeaderParams& params, const ProbeContext& ctx) {
  const std::string& name = params.name;
  const std::string& language = params.language;
  const std::string& pc = params.pkg_config;
  const std::string& package = params.package;

  std::string why;
  auto cc = pickCompiler(language, params.compiler, why);
  if (!cc) return Outcome::error(fmt::format("cannot look for {}: {}", name, why));

  Object observed = compilerObserved(*cc);
  Object expected;
  expected["header"] = name;
  if (!package.empty()) expected["package"] = package;

  std::vector<std::string> cflags;
  std::string note;  // why pkg-config's flags are missing, said either way
  if (!pc.empty()) {
    expected["pkg_config"] = pc;
    PkgConfigFlags flags = pkgConfig(pc, "--cflags", ctx);
    if (flags.timed_out) {
      Outcome error = Outcome::error(flags.problem, observed);
      error.fix = outOfTimeFix();
      return error;
    }
    cflags = flags.flags;
    note = flags.problem;
    observed["pkg_config_known"] = flags.known;
  }
  observed["cflags"] = arrayOf(cflags);

  std::vector<std::string> args = cflags;
  for (const char* a : {"-E", "-H", "-v"}) args.push_back(a);
  for (const auto& a : languageFlags(language)) args.push_back(a);
  for (const char* a : {"-", "-o", "/dev/null"}) args.push_back(a);
  ProcessResult r = runCompiler(*cc, args, ctx, "#include <" + name + ">\n");
  if (!r.started)
    return Outcome::error(fmt::format("cannot run {}: {}", displayName(*cc), r.start_error),
                          observed);
  if (r.timed_out) {
    // A busy host, not a missing header: the profile's fix would say to
    // install what is installed.
    Outcome error = Outcome::error(
        fmt::format("{} did not finish preprocessing {} within the {} ms timeout; {}",
                    displayName(*cc), name, ctx.timeout.count(), r.stop_note),
        observed);
    error.fix = outOfTimeFix();
    return error;
  }

  std::string path = includedHeaderPath(r.err, name);
  if (!path.empty()) observed["path"] = path;
  std::string suffix = note.empty() ? "" : "; " + note;
  if (r.exit_code == 0) {
    std::string where = path.empty() ? "" : " at " + path;
    return Outcome::pass(fmt::format("{} found{} by {}{}", name, where, displayName(*cc), suffix),
                         observed, expected);
  }

  std::string error = firstErrorLine(r.err);
  if (error.empty()) error = fmt::format("exit code {}", r.exit_code);
  observed["error"] = error;
  observed["searched"] = arrayOf(includeSearchDirs(r.err));
  // The machine, not the header: no package would help.
  std::string environment = environmentProblem(r.err);
  if (!environment.empty())
    return Outcome::error(
        fmt::format("cannot tell whether {} is usable: {} ({})", name, environment, error),
        observed);
  std::string advice = packageAdvice(
      package,
      fmt::format("look at what {} searches (observed \"searched\"), $CC and $CPPFLAGS{}",
                  displayName(*cc), pc.empty() ? "" : ", and pkg-config's answer for " + pc),
      ctx);
  if (!advice.empty()) suffix += "; " + advice;
  if (!path.empty()) {
    return Outcome::fail(fmt::format("{} found at {} but {} cannot preprocess it: {}{}", name, path,
                                     displayName(*cc), error, suffix),
                         observed, expected);
  }
  return Outcome::fail(
      fmt::format("{} not found by {}: {}{}", name, displayName(*cc), error, suffix), observed,
      expected);
}

}  // namespace

ProbeKind headerProbe() {
  return probeKind(
      "header",
      "a header is found and preprocessed by the C/C++ compiler (with pkg-config's cflags)",
      {stringParam("name", &HeaderParams::name, "header as written in #include <...>, e.g. zlib.h")
           .required(),
       stringParam("pkg_config", &HeaderParams::pkg_config,
                   "pkg-config package whose --cflags are added"),
       stringParam("language", &HeaderParams::language, "c or c++").oneOf({"c", "c++"}),
       stringParam("package", &HeaderParams::package,
                   "Debian package providing it, for the message"),
       stringParam("compiler", &HeaderParams::compiler,
                   "use this compiler instead of $CC/cc/gcc/clang")},
      runHeader);
}

}  // namespace bbcheck
