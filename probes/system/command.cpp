#include "probes/system/command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "probes/param_binding.h"
#include "probes/process.h"
#include "probes/regex.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// One run of digits or of letters; separators (. - _ + ~ ...) only split.
struct VersionToken {
  bool numeric = false;
  std::string text;  // digits without leading zeros, or lower-case letters
  int preRank = -1;  // letters: 0 dev, 1 alpha, 2 beta, 3 rc/pre; -1 post-release
};

int preReleaseRank(const std::string& word, bool numberFollows) {
  if (word == "dev") return 0;
  if (word == "alpha") return 1;
  if (word == "beta") return 2;
  if (word == "rc" || word == "pre" || word == "preview") return 3;
  // Single letters are ambiguous: "3.13.0a1" is an alpha, but OpenSSL's
  // "1.1.1a" is a later release. A number after the letter decides.
  if (numberFollows) {
    if (word == "a") return 1;
    if (word == "b") return 2;
    if (word == "c") return 3;
  }
  return -1;
}

std::vector<VersionToken> tokenize(const std::string& version) {
  std::vector<VersionToken> tokens;
  size_t i = 0;
  if (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') && std::isdigit(version[1]))
    i = 1;
  while (i < version.size()) {
    unsigned char c = static_cast<unsigned char>(version[i]);
    if (!std::isalnum(c)) {
      ++i;
      continue;
    }
    VersionToken token;
    token.numeric = std::isdigit(c) != 0;
    while (i < version.size() && std::isalnum(static_cast<unsigned char>(version[i])) &&
           (std::isdigit(static_cast<unsigned char>(version[i])) != 0) == token.numeric) {
      token.text += static_cast<char>(std::tolower(static_cast<unsigned char>(version[i])));
      ++i;
    }
    if (token.numeric) {
      size_t nonZero = token.text.find_first_not_of('0');
      token.text = nonZero == std::string::npos ? "0" : token.text.substr(nonZero);
    }
    tokens.push_back(token);
  }
  for (size_t t = 0; t < tokens.size(); ++t) {
    if (tokens[t].numeric) continue;
    bool numberFollows = t + 1 < tokens.size() && tokens[t + 1].numeric;
    tokens[t].preRank = preReleaseRank(tokens[t].text, numberFollows);
  }
  return tokens;
}

int compareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// One side has run out of tokens: how does "nothing" compare with `token`?
int compareMissing(const VersionToken& token) {
  if (token.numeric) return token.text == "0" ? 0 : -1;  // 2 == 2.0 < 2.1
  return token.preRank >= 0 ? 1 : -1;                    // 3.7 > 3.7rc1, 1.1.1 < 1.1.1w
}

int compareTokens(const VersionToken& a, const VersionToken& b) {
  if (a.numeric && b.numeric) return compareNumbers(a.text, b.text);
  if (a.numeric != b.numeric) return a.numeric ? 1 : -1;  // 1.0.1 > 1.0rc1, 1.0.1 > 1.0p1
  bool aPre = a.preRank >= 0, bPre = b.preRank >= 0;
  if (aPre && bPre) return a.preRank == b.preRank ? 0 : (a.preRank < b.preRank ? -1 : 1);
  if (aPre != bPre) return aPre ? -1 : 1;
  return a.text == b.text ? 0 : (a.text < b.text ? -1 : 1);
}

}  // namespace

int compareVersions(const std::string& a, const std::string& b) {
  std::vector<VersionToken> left = tokenize(a), right = tokenize(b);
  for (size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    int order;
    if (i >= left.size()) {
      order = compareMissing(right[i]);
    } else if (i >= right.size()) {
      order = -compareMissing(left[i]);
    } else {
      order = compareTokens(left[i], right[i]);
    }
    if (order != 0) return order;
  }
  return 0;
}

std::string extractVersion(const std::string& output, const std::string& regex,
                           std::string* error) {
  Regex re(regex);
  if (!re.ok()) {
    if (error) *error = re.error();
    return "";
  }
  auto match = re.search(output);
  if (!match) return "";
  if (match->size() > 1 && !(*match)[1].empty()) return (*match)[1];
  return (*match)[0];
}

namespace {

std::string withHint(std::string message, const std::string& hint) {
  if (!hint.empty()) message += " (" + hint + ")";
  return message;
}

struct CommandParams {
  std::string name;
  std::vector<std::string> version_args = {"--version"};
  std::string version_regex = R"((\d+(?:\.\d+)+))";
  std::string min_version;
  std::string hint;
  std::vector<std::string> legacy;
};

Outcome runCommandProbe(const CommandParams& params, const ProbeContext& ctx) {
  const std::string& name = params.name;
  const std::vector<std::string>& args = params.version_args;
  const std::string& regex = params.version_regex;
  const std::string& minVersion = params.min_version;
  const std::string& hint = params.hint;

  Object expected;
  expected["name"] = name;
  if (!minVersion.empty()) expected["min_version"] = minVersion;
  Object observed;
  std::string path = findOnPath(name);
  observed["found"] = !path.empty();
  if (path.empty()) {
    const char* pathVar = std::getenv("PATH");
    std::string where =
        name.find('/') != std::string::npos
            ? fmt::format("{} is not an executable file", name)
            : fmt::format("{} not found on PATH (PATH={})", name, pathVar ? pathVar : "");
    // An old program under an old name is worth naming: the fix is an
    // upgrade, not a first install.
    for (const auto& old : params.legacy) {
      std::string oldPath = findOnPath(old);
      if (oldPath.empty()) continue;
      observed["legacy_path"] = oldPath;
      where = fmt::format("{} not found; only the legacy {} at {}: upgrade to {}", name, old,
                          oldPath, name);
      break;
    }
    return Outcome::fail(withHint(where, hint), observed, expected);
  }
  observed["path"] = path;
  if (minVersion.empty())
    return Outcome::pass(fmt::format("{} found at {}", name, path), observed, expected);

  std::string invocation = fmt::format("'{} {}'", name, fmt::join(args, " "));
  ProcessResult run = runProcess(path, args, ctx);
  if (!run.started)
    return Outcome::error(fmt::format("cannot run {}: {}", path, run.start_error), observed);
  std::string output = run.out + "\n" + run.err;
  std::string regexError;
  std::string version = extractVersion(output, regex, &regexError);
  if (!regexError.empty())
    return Outcome::error(fmt::format("version_regex {} does not compile: {}", regex, regexError),
                          observed);
  // A program that printed its version and then hung still told us.
  if (version.empty() && run.timed_out) {
    Outcome error =
        Outcome::error(fmt::format("{} timed out after {} ms without printing a version; {}",
                                   invocation, ctx.timeout.count(), run.stop_note),
                       observed);
    error.fix = outOfTimeFix();
    return error;
  }
  if (version.empty()) {
    std::string line = firstLine(output);
    return Outcome::error(
        fmt::format("no version matching {} in the output of {} (exit {}; {})", regex, invocation,
                    run.exit_code, line.empty() ? "no output" : "first line: " + line),
        observed);
  }
  observed["version"] = version;
  if (compareVersions(version, minVersion) >= 0) {
    return Outcome::pass(
        fmt::format("{} {} at {} (need {} or later)", name, version, path, minVersion), observed,
        expected);
  }
  return Outcome::fail(withHint(fmt::format("{} {} at {} is too old, need {} or later", name,
                                            version, path, minVersion),
                                hint),
                       observed, expected);
}

}  // namespace

ProbeKind commandProbe() {
  return probeKind(
      "command", "an executable on PATH, optionally with a minimum version",
      {stringParam("name", &CommandParams::name, "program name looked up on PATH (or a path)")
           .required(),
       stringListParam("version_args", &CommandParams::version_args,
                       "arguments that make it print its version"),
       regexParam("version_regex", &CommandParams::version_regex,
                  "finds the version in stdout+stderr (first capture group)"),
       stringParam("min_version", &CommandParams::min_version,
                   "oldest version that passes, compared as a version (2.10 > 2.9); unset: only "
                   "look on PATH"),
       stringParam("hint", &CommandParams::hint,
                   "added to failure messages, e.g. how to install it"),
       stringListParam("legacy", &CommandParams::legacy,
                       "older names of the program: when only one of them is found, the failure "
                       "says to upgrade")},
      runCommandProbe);
}

}  // namespace bbcheck
