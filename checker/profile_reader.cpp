// Reading one profile file: finding it (built-in or on disk) and turning its
// YAML into checked top-level fields and its own vars, defaults and checks.
#include "checker/profile_reader.h"

#include <Poco/Path.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/statfs.h>
#endif

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <sstream>

#include "checker/builtin_profiles.h"
#include "checker/profile_error.h"

namespace bbcheck {

SourcePos positionOf(const YAML::Node& node, const std::string& file) {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

bool isCheckId(const std::string& text) {
  auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto idChar = [&](char c) { return lowerOrDigit(c) || c == '.' || c == '_' || c == '-'; };
  return !text.empty() && lowerOrDigit(text[0]) && std::all_of(text.begin(), text.end(), idChar);
}

namespace {

const std::set<std::string> kTopKeys = {"format",   "name",   "description", "extends",   "vars",
                                        "defaults", "checks", "drop",        "onboarding"};

const BuiltinProfile* findBuiltin(const std::string& name) {
  for (const auto& p : builtinProfiles())
    if (p.name == name) return &p;
  return nullptr;
}

std::string builtinList() {
  std::string out;
  for (const auto& p : builtinProfiles()) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

// yaml-cpp's message, made to say what is wrong where it is terse.
std::string yamlProblem(const YAML::Exception& e) {
  // yaml-cpp stops at 500 levels of nesting and calls it "bad file".
  if (auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
    return fmt::format("lists or mappings nested more than {} deep", deep->depth() - 1);
  if (e.msg.empty()) return "unreadable YAML";
  return e.msg;
}

// Where the second document of a stream starts, if there is one. Only the
// parser's events are used, never LoadAll: yaml-cpp 0.7's LoadAll never
// returns on a document that starts with ',' (it yields null documents
// without consuming the token; found by fuzz_profile).
class SecondDocumentFinder : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> start;  // of the document's first node, as LoadAll would say
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { seen(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { seen(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    seen(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    seen(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    seen(mark);
  }
  void OnMapEnd() override {}

 private:
  void seen(const YAML::Mark& mark) {
    if (!start) start = mark;
  }
};

// A stream holds a second document only after a line starting with a
// document marker, so the second parse runs only then.
bool hasDocumentMarker(const std::string& text) {
  size_t at = 0;
  while (true) {
    if (text.compare(at, 3, "---") == 0 || text.compare(at, 3, "...") == 0) return true;
    size_t newline = text.find('\n', at);
    if (newline == std::string::npos) return false;
    at = newline + 1;
  }
}

std::optional<YAML::Mark> secondDocument(const std::string& text) {
  if (!hasDocumentMarker(text)) return std::nullopt;
  std::istringstream in(text);
  YAML::Parser parser(in);
  SecondDocumentFinder finder;
  if (!parser.HandleNextDocument(finder)) return std::nullopt;
  finder.start.reset();
  if (!parser.HandleNextDocument(finder)) return std::nullopt;
  return finder.start ? finder.start : YAML::Mark();
}

YAML::Node parseYaml(const ProfileSource& source) {
  YAML::Node document;
  std::optional<YAML::Mark> second;
  try {
    document = YAML::Load(source.text);
    second = secondDocument(source.text);
  } catch (const YAML::Exception& e) {
    SourcePos at = e.mark.is_null() ? SourcePos{source.file, 1, 1}
                                    : SourcePos{source.file, e.mark.line + 1, e.mark.column + 1};
    throw ProfileError(at, "YAML syntax: " + yamlProblem(e));
  }
  // A stray ',', ']' or '}' where a document starts reads as an empty
  // document: say what is there rather than "empty".
  if (document.IsNull() && !document.Mark().is_null()) {
    const YAML::Mark mark = document.Mark();
    size_t at = static_cast<size_t>(mark.pos);
    if (at < source.text.size() && std::strchr(",]}", source.text[at]) != nullptr)
      throw ProfileError(SourcePos{source.file, mark.line + 1, mark.column + 1},
                         fmt::format("YAML syntax: unexpected '{}'", source.text[at]));
  }
  // yaml-cpp's Load quietly uses the first document and drops the rest.
  if (second)
    throw ProfileError(SourcePos{source.file, second->line + 1, second->column + 1},
                       "a second YAML document ('---'): a profile file holds one profile");
  return document;
}

struct Entry {
  std::string key;
  YAML::Node keyNode;
  YAML::Node value;
};

// The entries of a mapping, refusing duplicate keys (yaml-cpp keeps both).
std::vector<Entry> mappingEntries(const YAML::Node& map, const std::string& file,
                                  const std::string& what) {
  if (!map.IsMap())
    throw ProfileError(positionOf(map, file), fmt::format("{} must be a mapping", what));
  std::vector<Entry> out;
  std::map<std::string, SourcePos> seen;
  for (const auto& entry : map) {
    SourcePos at = positionOf(entry.first, file);
    if (!entry.first.IsScalar())
      throw ProfileError(at, fmt::format("keys of {} must be plain names", what));
    const std::string& key = entry.first.Scalar();
    if (seen.count(key))
      throw ProfileError(at, fmt::format("duplicate key '{}' in {} (first at line {})", key, what,
                                         seen[key].line));
    seen[key] = at;
    out.push_back({key, entry.first, entry.second});
  }
  return out;
}

void checkFormat(std::map<std::string, YAML::Node>& top, const std::string& file) {
  if (!top.count("format"))
    throw ProfileError({file, 1, 1}, "missing 'format: 1' (this bbcheck reads format 1)");
  const YAML::Node& format = top["format"];
  if (!format.IsScalar() || format.Scalar() != "1")
    throw ProfileError(positionOf(format, file),
                       fmt::format("format '{}' is not supported (this bbcheck reads format 1)",
                                   format.IsScalar() ? format.Scalar() : "?"));
}

// Names and ids are scanned by hand: compiling a std::regex costs more than
// loading a small profile.
bool isVarName(const std::string& text) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto word = [&](char c) { return letter(c) || (c >= '0' && c <= '9'); };
  return !text.empty() && letter(text[0]) && std::all_of(text.begin(), text.end(), word);
}

void readVars(const YAML::Node& node, const std::string& file, RawProfile& layer) {
  for (const auto& [key, keyNode, value] : mappingEntries(node, file, "vars")) {
    SourcePos at = positionOf(keyNode, file);
    if (!isVarName(key))
      throw ProfileError(at, fmt::format("var name '{}' must be letters, digits and _", key));
    RawVar var{std::nullopt, at};
    if (value.IsScalar())
      var.value = value.Scalar();
    else if (!value.IsNull())
      throw ProfileError(at, fmt::format("var '{}' must be a single value", key));
    layer.vars[key] = var;
  }
}

void readChecks(const YAML::Node& node, const std::string& file, RawProfile& layer,
                const RawField& defaultTimeout, const RawField& defaultSeverity) {
  if (!node.IsSequence()) throw ProfileError(positionOf(node, file), "'checks' must be a list");
  std::map<std::string, SourcePos> seen;
  for (const auto& item : node) {
    RawCheck check;
    check.pos = positionOf(item, file);
    check.origin = layer.name;
    check.default_timeout = defaultTimeout;
    check.default_severity = defaultSeverity;
    for (const auto& [key, keyNode, value] : mappingEntries(item, file, "a check"))
      check.fields[key] = {value, file, keyNode};
    auto id = check.fields.find("id");
    if (id == check.fields.end()) throw ProfileError(check.pos, "a check has no 'id'");
    SourcePos idPos = positionOf(id->second.node, file);
    if (!id->second.node.IsScalar() || !isCheckId(id->second.node.Scalar()))
      throw ProfileError(idPos,
                         fmt::format("id '{}' must be lower-case letters, digits, '.', '_' or '-'",
                                     id->second.node.IsScalar() ? id->second.node.Scalar() : "?"));
    check.id = id->second.node.Scalar();
    if (seen.count(check.id))
      throw ProfileError(idPos, fmt::format("duplicate id '{}' (first at line {})", check.id,
                                            seen[check.id].line));
    seen[check.id] = idPos;
    layer.checks.push_back(std::move(check));
  }
}

constexpr size_t kMaxProfileBytes = 16 << 20;

// Everything `fd` holds, at most 16 MiB; `fail(why)` makes the error.
template <typename Fail>
std::string readAll(int fd, const Fail& fail) {
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail(std::strerror(errno));
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > kMaxProfileBytes)
      throw fail("larger than 16 MiB, too large for a profile");
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

// A profile file's bytes. Only a regular file outside /proc and /sys is read
// (a FIFO, a device, /proc/kmsg would block or never end, and reading
// /proc/kmsg consumes the kernel log), and at most 16 MiB of it; a failed
// read is said as such, never taken for an empty profile.
std::string readProfileFile(const std::string& file, const SourcePos& usedAt) {
  auto fail = [&](const std::string& why) {
    return ProfileError(usedAt, fmt::format("cannot read profile '{}': {}", file, why));
  };
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw fail(std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw fail("not a regular file");
#ifdef __linux__
  struct statfs fs {};
  if (::fstatfs(fd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC))
    throw fail("a file of /proc or /sys, not a profile");
#endif
  return readAll(fd, fail);
}

}  // namespace

bool looksLikeProfilePath(const std::string& ref) {
  auto endsWith = [&](const std::string& suffix) {
    return ref.size() > suffix.size() &&
           ref.compare(ref.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ref.find('/') != std::string::npos || endsWith(".yaml") || endsWith(".yml");
}

ProfileSource locateProfile(const std::string& ref, const std::string& fromDir,
                            const SourcePos& usedAt) {
  if (!looksLikeProfilePath(ref)) {
    if (const BuiltinProfile* builtin = findBuiltin(ref))
      return {"builtin:" + ref, "builtin:" + ref, "", builtin->text};
    throw ProfileError(
        usedAt, fmt::format("no built-in profile '{}' (built-in: {}; a file path needs a '/' or "
                            ".yaml)",
                            ref, builtinList()));
  }
  Poco::Path path(ref);
  if (path.isRelative() && !fromDir.empty()) path = Poco::Path(fromDir).resolve(path);
  std::string file = path.toString();
  std::string text = readProfileFile(file, usedAt);
  char resolved[PATH_MAX];
  std::string identity = ::realpath(file.c_str(), resolved) ? resolved : file;
  return {identity, file, Poco::Path(file).parent().toString(), text};
}

ProfileSource stdinProfile() {
  // Read once: `-p - -p -` layers the same text, it does not wait for more.
  static const std::string text = readAll(STDIN_FILENO, [](const std::string& why) {
    return ProfileError({}, fmt::format("cannot read the profile from standard input: {}", why));
  });
  return {kStdinProfile, kStdinProfile, "", text};
}

ProfileDocument readProfileDocument(const ProfileSource& source) {
  ProfileDocument doc;
  doc.file = source.file;
  const std::string& file = doc.file;
  YAML::Node root = parseYaml(source);
  if (!root.IsDefined() || root.IsNull()) throw ProfileError({file, 1, 1}, "the profile is empty");
  auto& top = doc.top;
  for (const auto& [key, keyNode, value] : mappingEntries(root, file, "a profile")) {
    top[key] = value;
    if (!kTopKeys.count(key))
      throw ProfileError(
          positionOf(keyNode, file),
          fmt::format("unknown key '{}' (allowed: format, name, description, extends, vars, "
                      "defaults, checks, drop, onboarding)",
                      key));
  }
  checkFormat(top, file);
  if (!top.count("name") || !top["name"].IsScalar() || top["name"].Scalar().empty())
    throw ProfileError(positionOf(root, file), "the profile has no 'name'");
  doc.name = top["name"].Scalar();
  if (top.count("description")) doc.description = top["description"].Scalar();
  return doc;
}

std::vector<std::pair<std::string, YAML::Node>> profileList(const ProfileDocument& doc,
                                                            const std::string& key) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  auto found = doc.top.find(key);
  if (found == doc.top.end()) return out;
  const YAML::Node& node = found->second;
  if (node.IsScalar()) return {{node.Scalar(), node}};
  if (!node.IsSequence())
    throw ProfileError(positionOf(node, doc.file), fmt::format("'{}' must be a list", key));
  for (const auto& item : node) {
    if (!item.IsScalar())
      throw ProfileError(positionOf(item, doc.file),
                         fmt::format("items of '{}' must be single values", key));
    out.emplace_back(item.Scalar(), item);
  }
  return out;
}

RawProfile readOwnLayer(const ProfileDocument& doc) {
  const std::string& file = doc.file;
  RawProfile layer;
  layer.name = doc.name;
  layer.description = doc.description;
  if (doc.top.count("vars")) readVars(doc.top.at("vars"), file, layer);
  RawField defaultTimeout, defaultSeverity;
  if (doc.top.count("defaults")) {
    for (const auto& [key, keyNode, node] :
         mappingEntries(doc.top.at("defaults"), file, "defaults")) {
      if (key == "timeout")
        defaultTimeout = {node, file, keyNode};
      else if (key == "severity")
        defaultSeverity = {node, file, keyNode};
      else
        throw ProfileError(
            positionOf(keyNode, file),
            fmt::format("unknown key '{}' in defaults (allowed: timeout, severity)", key));
    }
  }
  if (doc.top.count("onboarding"))
    layer.onboarding = {doc.top.at("onboarding"), file, doc.top.at("onboarding")};
  if (doc.top.count("checks"))
    readChecks(doc.top.at("checks"), file, layer, defaultTimeout, defaultSeverity);
  return layer;
}

}  // namespace bbcheck
