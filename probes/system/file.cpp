#include "probes/system/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "probes/human.h"
#include "probes/param_binding.h"
#include "probes/regex.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

std::string typeOf(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "char-device";
  if (S_ISBLK(mode)) return "block-device";
  return "other";
}

std::string userName(uid_t uid) {
  if (passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return std::to_string(uid);
}

}  // namespace

FileFacts statFile(const std::string& path) {
  FileFacts facts;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      facts.error = fmt::format("cannot stat {}: {}", path, std::strerror(errno));
    }
    return facts;
  }
  facts.exists = true;
  facts.type = typeOf(st.st_mode);
  facts.mode = st.st_mode & 07777;
  facts.owner = userName(st.st_uid);
  facts.size = st.st_size;
  return facts;
}

bool parseMode(const std::string& text, unsigned& mode) {
  std::string digits = text;
  if (digits.rfind("0o", 0) == 0 || digits.rfind("0O", 0) == 0) digits = digits.substr(2);
  if (digits.empty() || digits.size() > 5) return false;
  unsigned value = 0;
  for (char c : digits) {
    if (c < '0' || c > '7') return false;
    value = value * 8 + static_cast<unsigned>(c - '0');
  }
  if (value > 07777) return false;
  mode = value;
  return true;
}

std::string formatMode(unsigned mode) {
  return fmt::format("{:04o}", mode);
}

namespace {

constexpr size_t kMaxContents = 8 << 20;  // profiles check config files, not data

// The owner a profile means: a user name, or the running user.
std::string wantedOwner(const std::string& owner) {
  if (owner == "$USER" || owner == "${USER}" || owner == "current") return userName(::geteuid());
  return owner;
}

// Quoted, shortened template text for a one-line message.
std::string inQuotes(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 60 || line.size() < text.size()) line = line.substr(0, 57) + "...";
  return "'" + line + "'";
}

// Reads up to kMaxContents bytes. A read that fails part-way (EIO from a
// failing disk, /proc/self/mem) is the check's error, never "does not match"
// on the part that was read.
bool readContents(const std::string& path, std::string& contents, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
    return false;
  }
  contents.assign(kMaxContents, '\0');
  size_t got = 0;
  while (got < kMaxContents) {
    ssize_t n = ::read(fd, &contents[got], kMaxContents - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = fmt::format("cannot read {} (after {} bytes): {}", path, got, std::strerror(errno));
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  contents.resize(got);
  return true;
}

// The path and what is expected of it.
struct FileParams {
  std::string path;
  std::string type = "any";
  std::string mode;
  std::string owner;
  std::string matches;
  std::string differs_from;
  bool absent_ok = false;
};

Object expectedObject(const FileParams& e) {
  Object expected;
  expected["type"] = e.type;
  if (!e.mode.empty()) expected["mode"] = e.mode;
  if (!e.owner.empty()) expected["owner"] = wantedOwner(e.owner);
  if (!e.matches.empty()) expected["matches"] = e.matches;
  if (!e.differs_from.empty()) expected["differs_from"] = e.differs_from;
  if (e.absent_ok) expected["absent_ok"] = true;
  return expected;
}

// Adds the failed content aspects to `problems`; returns false (with
// `error`) when the contents could not be read.
bool checkContents(const std::string& path, const FileParams& e, std::vector<std::string>& problems,
                   std::string& error) {
  std::string contents;
  if (!readContents(path, contents, error)) return false;
  if (!e.matches.empty()) {
    Regex re(e.matches, /*multiline=*/true);
    if (!re.ok()) {
      error = fmt::format("matches /{}/ does not compile: {}", e.matches, re.error());
      return false;
    }
    if (!re.search(contents))
      problems.push_back(fmt::format("contents do not match /{}/", e.matches));
  }
  std::string templ = trimmed(e.differs_from);
  if (!templ.empty()) {
    // Never quote the file itself (buildbot.tac holds a password): only the
    // template text the profile gave.
    if (trimmed(contents) == templ) {
      problems.push_back(fmt::format("unchanged from the template text {}", inQuotes(templ)));
    } else if (contents.find(templ) != std::string::npos) {
      problems.push_back(fmt::format("still contains the template text {}", inQuotes(templ)));
    }
  }
  return true;
}

Outcome runFile(const FileParams& e, const ProbeContext&) {
  const std::string& path = e.path;
  Object expected = expectedObject(e);
  std::string shown = tildePath(path);

  unsigned wantedMode = 0;
  if (!e.mode.empty() && !parseMode(e.mode, wantedMode)) {
    return Outcome::error(fmt::format("mode '{}' is not octal permission bits like 0600", e.mode));
  }
  FileFacts facts = statFile(path);
  Object observed;
  observed["exists"] = facts.exists;
  if (!facts.error.empty()) return Outcome::error(facts.error, observed);
  if (!facts.exists) {
    if (e.absent_ok)
      return Outcome::pass(fmt::format("{} does not exist (allowed)", shown), observed, expected);
    return Outcome::fail(fmt::format("{} does not exist, expected {}", shown,
                                     e.type == "any" ? "it to exist" : "a " + e.type),
                         observed, expected);
  }
  observed["type"] = facts.type;
  observed["mode"] = formatMode(facts.mode);
  observed["owner"] = facts.owner;
  observed["size"] = facts.size;

  std::vector<std::string> problems;
  bool typeOk = e.type == "any" || e.type == facts.type;
  if (!typeOk) problems.push_back(fmt::format("is a {}, expected a {}", facts.type, e.type));
  if (!e.mode.empty() && facts.mode != wantedMode) {
    problems.push_back(
        fmt::format("mode {} (expected {})", formatMode(facts.mode), formatMode(wantedMode)));
  }
  std::string owner = e.owner.empty() ? "" : wantedOwner(e.owner);
  if (!owner.empty() && facts.owner != owner) {
    problems.push_back(fmt::format("owned by {} (expected {})", facts.owner, owner));
  }
  bool checksContents = !e.matches.empty() || !e.differs_from.empty();
  if (checksContents && typeOk) {
    if (facts.type != "file") {
      return Outcome::error(
          fmt::format("{} is a {}: matches/differs_from need a regular file", shown, facts.type),
          observed);
    }
    std::string error;
    if (!checkContents(path, e, problems, error)) return Outcome::error(error, observed);
  }
  if (!problems.empty()) {
    return Outcome::fail(fmt::format("{}: {}", shown, fmt::join(problems, "; ")), observed,
                         expected);
  }
  std::string summary = fmt::format("{}: {}, mode {}, owner {}", shown, facts.type,
                                    formatMode(facts.mode), facts.owner);
  if (facts.type == "file") summary += fmt::format(", {}", humanBytes(facts.size));
  if (!e.matches.empty()) summary += fmt::format(", matches /{}/", e.matches);
  if (!e.differs_from.empty()) summary += ", template text replaced";
  return Outcome::pass(summary, observed, expected);
}

}  // namespace

ProbeKind fileProbe() {
  return probeKind(
      "file", "a file or directory: exists, type, permission bits, owner, contents",
      {pathParam("path", &FileParams::path, "the file or directory (symlinks are followed)")
           .required(),
       stringParam("type", &FileParams::type, "what it must be")
           .oneOf({"file", "directory", "any"}),
       stringParam("mode", &FileParams::mode, "exact permission bits in octal, e.g. \"0600\""),
       stringParam("owner", &FileParams::owner,
                   "owning user name, or \"current\" / \"$USER\" for the user bbcheck runs as"),
       regexParam("matches", &FileParams::matches,
                  "the contents must match this regex (^ and $ match at line ends)"),
       stringParam(
           "differs_from", &FileParams::differs_from,
           "template text that must have been edited away: fails while the file still contains it"),
       boolParam("absent_ok", &FileParams::absent_ok, "pass when the path does not exist")},
      runFile);
}

}  // namespace bbcheck
