// Finding the C/C++ compilers ($CC / $CXX, then the default names on PATH)
// and asking them what they are (-v, -dumpversion, -dumpmachine).
#include "probes/toolchain/compiler_discovery.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <tuple>

#include "probes/once_cache.h"
#include "probes/regex.h"
#include "probes/toolchain/compiler.h"
#include "probes/toolchain/compiler_description_cache.h"
#include "probes/toolchain/compiler_text.h"

namespace bbcheck {

using compiler_text::joined;
using compiler_text::languageLabel;
using compiler_text::lines;

namespace {

const char* envVariable(const std::string& language) {
  return language == "c++" ? "CXX" : "CC";
}

// The order CPython's configure (AC_PROG_CC / AC_PROG_CXX) tries when $CC /
// $CXX is unset: gcc first, then cc, then clang.
std::vector<std::string> defaultNames(const std::string& language) {
  if (language == "c++") return {"g++", "c++", "clang++"};
  return {"gcc", "cc", "clang"};
}

// "gcc version 12.2.0 (Debian ...)", "Debian clang version 14.0.6",
// "Apple clang version 15.0.0 (...)". The digit after "version " keeps
// configure lines ("--with-pkgversion=...") out.
void parseVerbose(const std::string& text, CompilerDescription& d) {
  static const Regex version(R"((\S+) version (\d[\w.+~-]*))");
  static const Regex target(R"(^Target: (\S+))");
  for (const auto& line : lines(text)) {
    if (d.fact.version.empty()) {
      if (auto m = version.search(line)) {
        d.family = (*m)[1];
        d.fact.version = (*m)[2];
        continue;
      }
    }
    if (d.fact.target.empty()) {
      if (auto m = target.search(line)) d.fact.target = (*m)[1];
    }
  }
}

// The first line a compiler prints for `args`, or "" (also on timeout).
std::string firstLineOf(const CompilerCandidate& c, const std::vector<std::string>& args,
                        const ProgramLimit& limit, CompilerDescription& d) {
  ProcessResult r = runCompiler(c, args, limit);
  if (r.timed_out && !d.timed_out) d.stop_note = r.stop_note;
  d.timed_out = d.timed_out || r.timed_out;
  if (!r.started || r.timed_out || r.exit_code != 0) return "";
  auto all = lines(r.out);
  return all.empty() ? "" : trimmed(all.front());
}

}  // namespace

namespace {

// The real binary and the very file it is (a test may put another compiler
// at the same path), with its leading arguments ("ccache gcc").
struct DescriptionKey {
  std::vector<std::string> command;
  dev_t device = 0;
  ino_t inode = 0;
  int64_t modified_ns = 0;
  bool operator<(const DescriptionKey& o) const {
    return std::tie(command, device, inode, modified_ns) <
           std::tie(o.command, o.device, o.inode, o.modified_ns);
  }
};

DescriptionKey descriptionKey(const CompilerCandidate& c) {
  DescriptionKey key{c.command};
  key.command[0] = resolvedPath(c.path);
  struct stat st {};
  if (::stat(key.command[0].c_str(), &st) == 0) {
    key.device = st.st_dev;
    key.inode = st.st_ino;
    key.modified_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  }
  return key;
}

}  // namespace

CompilerDescription cachedDescription(const CompilerCandidate& c, const std::string& language,
                                      const ProgramLimit& limit) {
  static OnceCache<DescriptionKey, CompilerDescription> cache;
  LocalWork::Busy busy(limit.work);
  auto describe = [&](Clock::time_point) { return describeCompiler(c, language, limit); };
  std::optional<CompilerDescription> found =
      cache.get(descriptionKey(c), limit.latestEnd(), describe,
                [](const CompilerDescription& d) { return !d.timed_out; });
  CompilerDescription d;
  if (found) {
    d = *found;
  } else {
    d.fact.path = resolvedPath(c.path);
    d.timed_out = true;  // another asker's answer did not come in time
  }
  d.fact.name = c.name;
  d.fact.language = language;
  return d;
}

std::vector<CompilerCandidate> compilerCandidates(const std::string& language) {
  std::vector<CompilerCandidate> result;
  const char* variable = envVariable(language);
  const char* value = std::getenv(variable);
  std::vector<std::string> fromEnv;
  if (value && !trimmed(value).empty()) {
    fromEnv = splitFlags(value);
    result.push_back({trimmed(value), variable, fromEnv, findOnPath(fromEnv[0])});
  }
  for (const auto& name : defaultNames(language)) {
    if (fromEnv == std::vector<std::string>{name}) continue;
    result.push_back({name, "", {name}, findOnPath(name)});
  }
  return result;
}

std::string triedList(const std::string& language) {
  return "$" + std::string(envVariable(language)) + ", " + joined(defaultNames(language), ", ");
}

CompilerCandidate namedCompiler(const std::string& name) {
  std::vector<std::string> command = splitFlags(name);
  if (command.empty()) command.push_back(name);
  return {name, "", command, findOnPath(command[0])};
}

std::string notFound(const CompilerCandidate& c) {
  const std::string& program = c.command.empty() ? c.name : c.command[0];
  // A path is not looked up on PATH: it exists or it does not.
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), F_OK) == 0 ? program + " is not executable"
                                                : program + " does not exist";
  return program + " not found on PATH";
}

std::optional<CompilerCandidate> pickCompiler(const std::string& language, const std::string& name,
                                              std::string& why) {
  if (!name.empty()) {
    CompilerCandidate c = namedCompiler(name);
    if (!c.path.empty()) return c;
    why = notFound(c);
    return std::nullopt;
  }
  for (const auto& c : compilerCandidates(language)) {
    if (!c.path.empty()) return c;
    // configure and make use $CC: another compiler would not tell the truth.
    if (!c.env.empty()) {
      why = fmt::format("${}={}: {}", c.env, c.name, notFound(c));
      return std::nullopt;
    }
  }
  why =
      fmt::format("no {} compiler found (tried {})", languageLabel(language), triedList(language));
  return std::nullopt;
}

std::string displayName(const CompilerCandidate& c) {
  return c.env.empty() ? c.name : fmt::format("${}={}", c.env, c.name);
}

CompilerDescription describeCompiler(const CompilerCandidate& c, const std::string& language,
                                     const ProgramLimit& limit) {
  CompilerDescription d;
  d.fact = {c.name, language, resolvedPath(c.path), "", ""};
  ProcessResult r = runCompiler(c, {"-v"}, limit);
  if (r.timed_out) {
    d.timed_out = true;
    d.stop_note = r.stop_note;
    return d;
  }
  parseVerbose(r.err + r.out, d);
  if (d.fact.version.empty())
    d.fact.version = firstLineOf(c, {"-dumpfullversion", "-dumpversion"}, limit, d);
  if (d.fact.target.empty()) d.fact.target = firstLineOf(c, {"-dumpmachine"}, limit, d);
  return d;
}

std::vector<CompilerFact> detectCompilers(Clock::time_point deadline) {
  std::vector<CompilerFact> facts;
  for (const char* language : {"c", "c++"}) {
    for (const auto& c : compilerCandidates(language)) {
      if (c.path.empty()) continue;
      CompilerDescription d = cachedDescription(c, language, deadline);
      if (d.timed_out) return facts;  // out of time: report what we have
      facts.push_back(d.fact);
    }
  }
  return facts;
}

std::string resolvedPath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path resolved = std::filesystem::canonical(path, ec);
  return ec ? path : resolved.string();
}

Object compilerObserved(const CompilerCandidate& compiler) {
  Object observed;
  observed["compiler"] = displayName(compiler);
  observed["compiler_path"] = resolvedPath(compiler.path);
  return observed;
}

}  // namespace bbcheck
