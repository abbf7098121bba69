// The `compiler` probe, and running compilers for the header and library
// probes: programs on stdin, pkg-config flags, error lines, scratch dirs.
#include "probes/toolchain/compiler.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>
#include <optional>
#include <system_error>

#include "probes/param_binding.h"
#include "probes/regex.h"
#include "probes/toolchain/compiler_description_cache.h"
#include "probes/toolchain/compiler_text.h"
#include "probes/toolchain/toolchain_advice.h"

namespace bbcheck {

using compiler_text::joined;
using compiler_text::languageLabel;
using compiler_text::lines;

namespace {

namespace fs = std::filesystem;

Object factObject(const CompilerDescription& d, const CompilerCandidate& c) {
  Object o;
  o["name"] = d.fact.name;
  o["path"] = d.fact.path;
  o["version"] = d.fact.version;
  o["target"] = d.fact.target;
  if (!d.family.empty()) o["family"] = d.family;
  if (!c.env.empty()) o["env"] = c.env;
  return o;
}

// "gcc 12.2.0 (x86_64-linux-gnu)" or "cc (gcc 12.2.0, x86_64-linux-gnu)".
std::string summary(const CompilerCandidate& c, const CompilerDescription& d) {
  const std::string& target = d.fact.target;
  if (d.family.empty() || d.family == c.name) {
    std::string head = trimmed(displayName(c) + " " + d.fact.version);
    return target.empty() ? head : fmt::format("{} ({})", head, target);
  }
  std::vector<std::string> parts{d.family + " " + d.fact.version};
  if (!target.empty()) parts.push_back(target);
  return fmt::format("{} ({})", displayName(c), joined(parts, ", "));
}

std::string trivialProgram(const std::string& language) {
  // Including the C library's header proves the headers are installed too
  // (libc6-dev, libstdc++-dev), which a bare `int main` would not.
  if (language == "c++") return "#include <cstdio>\nint main() { return std::puts(\"\") < 0; }\n";
  return "#include <stdio.h>\nint main(void) { return puts(\"\") < 0; }\n";
}

std::string cannotBuild(const CompilerCandidate& c, const ProcessResult& r) {
  if (!r.started)
    return fmt::format("{} found but cannot be run: {}", displayName(c), r.start_error);
  std::string output = r.err + r.out;
  std::string line = firstErrorLine(output);
  if (line.empty()) line = fmt::format("exit code {}", r.exit_code);
  // Errors located at a line and column (of our source or a header it
  // includes) are compile errors; the linker's (ld, collect2) are not.
  static const Regex compileError(R"(:\d+:\d+: (fatal )?error:)");
  bool compile = compileError.search(output).has_value();
  std::string environment = environmentProblem(output);  // no ld, a full TMPDIR
  return fmt::format("{} found but cannot {}: {}{}", displayName(c), compile ? "compile" : "link",
                     line, environment.empty() ? "" : " (" + environment + ")");
}

struct CompilerParams {
  std::string language = "c";
  std::string name;
};

Outcome runCompilerProbe(const CompilerParams& params, const ProbeContext& ctx) {
  const std::string& language = params.language;
  const std::string& name = params.name;
  std::string label = languageLabel(language);
  std::vector<CompilerCandidate> candidates =
      name.empty() ? compilerCandidates(language) : std::vector{namedCompiler(name)};

  Object observed;
  observed["language"] = language;
  Object expected;
  expected["language"] = language;
  if (!name.empty()) expected["name"] = name;
  std::vector<const CompilerCandidate*> present;
  const CompilerCandidate* missingEnv = nullptr;
  for (const auto& c : candidates) {
    if (!c.path.empty()) {
      present.push_back(&c);
    } else if (!c.env.empty() && !missingEnv) {
      missingEnv = &c;
    }
  }
  observed["compilers"] = Array{};
  if (!name.empty() && present.empty())
    return Outcome::fail(fmt::format("{} compiler {}", label, notFound(candidates.front())),
                         observed, expected);
  if (present.empty())
    return Outcome::fail(fmt::format("no {} compiler found (tried {})", label, triedList(language)),
                         observed, expected);

  // The first compiler found is the one configure takes. The others are
  // described (`clang -v` alone costs ~35 ms) while it compiles, so the checks
  // that wait for this one start sooner.
  std::vector<CompilerDescription> descriptions(present.size());
  descriptions[0] = cachedDescription(*present[0], language, ctx);
  auto describeOthers = [&] {
    for (size_t i = 1; i < present.size(); ++i)
      descriptions[i] = cachedDescription(*present[i], language, ctx);
  };
  std::future<void> others;
  if (!missingEnv && !descriptions[0].timed_out) {
    try {
      others = std::async(std::launch::async, describeOthers);
    } catch (const std::system_error&) {
      // No thread to spare (RLIMIT_NPROC): describe them after the compile.
    }
  }
  // Waits for the others, then lists every compiler in configure's order.
  auto collect = [&]() -> std::optional<Outcome> {
    if (others.valid()) {
      others.get();
    } else {
      describeOthers();
    }
    Array list;
    for (size_t i = 0; i < present.size(); ++i) {
      if (descriptions[i].timed_out) {
        Outcome error = Outcome::error(
            fmt::format("{} did not answer `{} -v` within the {} ms timeout{}",
                        displayName(*present[i]), present[i]->command[0], ctx.timeout.count(),
                        descriptions[i].stop_note.empty() ? "" : "; " + descriptions[i].stop_note),
            observed);
        error.fix = outOfTimeFix();
        return error;
      }
      list.push_back(factObject(descriptions[i], *present[i]));
    }
    observed["compilers"] = list;
    return std::nullopt;
  };

  if (missingEnv || descriptions[0].timed_out) {
    if (auto error = collect()) return *error;  // the chosen one did not answer
    return Outcome::fail(fmt::format("${}={}: {}, and configure and make use ${} (found: {})",
                                     missingEnv->env, missingEnv->name, notFound(*missingEnv),
                                     missingEnv->env, summary(*present[0], descriptions[0])),
                         observed, expected);
  }

  ScratchDir dir;
  if (!dir.ok()) {
    if (auto error = collect()) return *error;
    return Outcome::error(dir.error(), observed);
  }
  std::string output = dir.path() + "/a.out";
  std::vector<std::string> args = linkFromStdinArgs(language, output);

  // configure takes the first compiler it finds and never tries another, so
  // only that one is judged; the others are tried only to advise.
  const CompilerCandidate& chosenCompiler = *present[0];
  observed["used"] = chosenCompiler.name;
  ProcessResult r = runCompiler(chosenCompiler, args, ctx, trivialProgram(language));
  std::optional<Outcome> undescribed = collect();
  // The compile used up the time: that is the news, not the others' `-v`
  // that the same deadline cut short.
  if (r.timed_out) {
    Outcome error = Outcome::error(
        fmt::format("{} did not compile and link a trivial {} program within the {} ms timeout; {}",
                    displayName(chosenCompiler), label, ctx.timeout.count(), r.stop_note),
        observed);
    error.fix = outOfTimeFix();
    return error;
  }
  if (undescribed) return *undescribed;
  if (r.started && r.exit_code == 0 && fs::exists(output)) {
    return Outcome::pass(
        fmt::format("{} compiles and links {}", summary(chosenCompiler, descriptions[0]), label),
        observed, expected);
  }
  std::string failure = cannotBuild(chosenCompiler, r);
  observed["errors"] = Array{failure};
  if (!chosenCompiler.env.empty() || !name.empty())
    return Outcome::fail(failure, observed, expected);
  for (size_t i = 1; i < present.size(); ++i) {
    const CompilerCandidate& other = *present[i];
    fs::remove(output);
    ProcessResult o = runCompiler(other, args, ctx, trivialProgram(language));
    if (o.started && !o.timed_out && o.exit_code == 0 && fs::exists(output)) {
      observed["works_instead"] = other.name;
      return Outcome::fail(
          fmt::format("{}; configure picks {} first ({}), so the build fails although {} works: "
                      "repair {}, or set {}={} in the worker's environment",
                      failure, chosenCompiler.name, triedList(language), other.name,
                      chosenCompiler.name, language == "c++" ? "CXX" : "CC", other.name),
          observed, expected);
    }
  }
  return Outcome::fail(failure, observed, expected);
}

}  // namespace

ProcessResult runCompiler(const CompilerCandidate& c, const std::vector<std::string>& args,
                          const ProgramLimit& limit, const std::string& input) {
  std::vector<std::string> all(c.command.begin() + 1, c.command.end());
  all.insert(all.end(), args.begin(), args.end());
  return runProcess(c.path.empty() ? c.command[0] : c.path, all, limit, input);
}

std::vector<std::string> languageFlags(const std::string& language) {
  return {"-x", language == "c++" ? "c++" : "c"};
}

std::vector<std::string> linkFromStdinArgs(const std::string& language, const std::string& output,
                                           const std::vector<std::string>& flags) {
  std::vector<std::string> args = languageFlags(language);
  for (const char* a : {"-", "-x", "none", "-o"}) args.push_back(a);
  args.push_back(output);
  args.insert(args.end(), flags.begin(), flags.end());
  return args;
}

std::string firstErrorLine(const std::string& output) {
  // "<stdin>:1:10: " (compiler) and "<stdin>:(.text+0x9): " (linker).
  static const Regex stdinPrefix(R"(^<stdin>:(\d+(:\d+)?|\([^)]*\)): )");
  std::string fallback;
  for (const auto& raw : lines(output)) {
    std::string line = trimmed(raw);
    bool errorish = contains(line, "error:") || contains(line, "cannot find") ||
                    contains(line, "undefined reference") || contains(line, "No such file");
    if (!errorish || contains(line, "warning:")) continue;
    // Summaries that only say "the step before failed".
    bool summary = line.rfind("collect2:", 0) == 0 || contains(line, "linker command failed") ||
                   contains(line, "ld returned");
    if (summary) {
      if (fallback.empty()) fallback = line;
      continue;
    }
    auto prefix = stdinPrefix.search(line);
    return prefix ? line.substr((*prefix)[0].size()) : line;
  }
  return fallback;
}

std::vector<std::string> splitFlags(const std::string& text) {
  // pkg-config escapes spaces inside one argument with a backslash.
  std::vector<std::string> result;
  std::string current;
  bool inWord = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\\' && i + 1 < text.size()) {
      current += text[++i];
      inWord = true;
    } else if (std::isspace(static_cast<unsigned char>(ch))) {
      if (inWord) result.push_back(current);
      current.clear();
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) result.push_back(current);
  return result;
}

PkgConfigFlags pkgConfig(const std::string& package, const std::string& what,
                         const ProgramLimit& limit) {
  PkgConfigFlags result;
  if (findOnPath("pkg-config").empty()) {
    result.problem = "pkg-config is not installed (Debian package pkg-config)";
    return result;
  }
  ProcessResult r = runProcess("pkg-config", {what, package}, limit);
  if (r.timed_out) {
    result.timed_out = true;
    result.stop_note = r.stop_note;
    result.problem =
        fmt::format("pkg-config {} {} did not answer in time; {}", what, package, r.stop_note);
    return result;
  }
  if (r.started && r.exit_code == 0) {
    result.known = true;
    result.flags = splitFlags(r.out);
    return result;
  }
  std::string first = lines(r.err).empty() ? r.start_error : trimmed(lines(r.err).front());
  if (contains(first, ("Package " + package + " was not found").c_str()))
    result.problem = fmt::format("pkg-config does not know {}", package);
  else
    result.problem = fmt::format("pkg-config {} {} failed: {}", what, package, first);
  return result;
}

ProbeKind compilerProbe() {
  return probeKind(
      "compiler",
      "the C or C++ compiler configure would pick ($CC/$CXX, else gcc, cc, clang) compiles and "
      "links a program",
      {stringParam("language", &CompilerParams::language, "c or c++").oneOf({"c", "c++"}),
       stringParam("name", &CompilerParams::name, "check only this compiler (e.g. clang)")},
      runCompilerProbe);
}

}  // namespace bbcheck
