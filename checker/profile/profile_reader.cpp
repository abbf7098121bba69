// Reading one profile file: finding it (built-in or on disk) and turning its
// YAML into checked top-level fields and its own vars, defaults and checks.
#include "checker/profile/profile_reader.h"

#include <Poco/Path.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/statfs.h>
#endif

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>
#include <unordered_map>

#include "checker/profile/builtin_profiles.h"
#include "checker/profile/profile_error.h"
#include "checker/profile/yaml_reader.h"

namespace bbcheck {

SourcePos positionOf(const YamlNode& node, const std::string& file) {
  if (!node.hasMark()) return {file, 1, 1};
  return {file, static_cast<int>(node.line() + 1), static_cast<int>(node.column() + 1)};
}

bool isCheckId(const std::string& text) {
  auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto idChar = [&](char c) { return lowerOrDigit(c) || c == '.' || c == '_' || c == '-'; };
  return !text.empty() && lowerOrDigit(text[0]) && std::all_of(text.begin(), text.end(), idChar);
}

namespace {

const std::set<std::string> kTopKeys = {"format",  "name", "description", "subject",
                                        "extends", "vars", "stages",      "defaults",
                                        "checks",  "drop", "onboarding"};

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

SourcePos errorPosition(const YamlSyntaxError& e, const std::string& file) {
  return {file, static_cast<int>(e.line() + 1), static_cast<int>(e.column() + 1)};
}

// The profile's one YAML document, or a positioned error saying what is wrong.
YamlNode parseYaml(const ProfileSource& source) {
  try {
    return readYamlDocument(source.text);
  } catch (const YamlSecondDocument& e) {
    throw ProfileError(errorPosition(e, source.file), e.what());
  } catch (const YamlSyntaxError& e) {
    throw ProfileError(errorPosition(e, source.file), std::string("YAML syntax: ") + e.what());
  }
}

struct Entry {
  std::string key;
  YamlNode keyNode;
  YamlNode value;
};

// The entries of a mapping, refusing duplicate keys (the YAML reader keeps both).
std::vector<Entry> mappingEntries(const YamlNode& map, const std::string& file,
                                  const std::string& what) {
  if (!map.isMap())
    throw ProfileError(positionOf(map, file), fmt::format("{} must be a mapping", what));
  std::vector<Entry> out;
  out.reserve(map.entries().size());
  // Keys seen so far: a scan of `out` for the few keys of a check, an index
  // for a large mapping (vars) so that reading stays linear.
  std::unordered_map<std::string_view, size_t> index;
  constexpr size_t kScanLimit = 16;
  for (const auto& [keyNode, value] : map.entries()) {
    if (!keyNode.isScalar())
      throw ProfileError(positionOf(keyNode, file),
                         fmt::format("keys of {} must be plain names", what));
    const std::string& key = keyNode.scalar();
    const Entry* first = nullptr;
    if (out.size() < kScanLimit) {
      for (const auto& e : out)
        if (e.key == key) first = &e;
    } else {
      if (index.empty())
        for (size_t i = 0; i < out.size(); ++i) index.emplace(out[i].keyNode.scalar(), i);
      auto found = index.find(key);
      if (found != index.end()) first = &out[found->second];
    }
    if (first != nullptr)
      throw ProfileError(positionOf(keyNode, file),
                         fmt::format("duplicate key '{}' in {} (first at line {})", key, what,
                                     first->keyNode.line() + 1));
    if (!index.empty()) index.emplace(key, out.size());
    out.push_back({key, keyNode, value});
  }
  return out;
}

void checkFormat(std::map<std::string, YamlNode>& top, const std::string& file) {
  if (!top.count("format"))
    throw ProfileError({file, 1, 1}, "missing 'format: 1' (this bbcheck reads format 1)");
  const YamlNode& format = top["format"];
  if (!format.isScalar() || format.scalar() != "1")
    throw ProfileError(positionOf(format, file),
                       fmt::format("format '{}' is not supported (this bbcheck reads format 1)",
                                   format.isScalar() ? format.scalar() : "?"));
}

// Names and ids are scanned by hand: compiling a std::regex costs more than
// loading a small profile.
bool isVarName(const std::string& text) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto word = [&](char c) { return letter(c) || (c >= '0' && c <= '9'); };
  return !text.empty() && letter(text[0]) && std::all_of(text.begin(), text.end(), word);
}

void readVars(const YamlNode& node, const std::string& file, RawProfile& layer) {
  for (const auto& [key, keyNode, value] : mappingEntries(node, file, "vars")) {
    SourcePos at = positionOf(keyNode, file);
    if (!isVarName(key))
      throw ProfileError(at, fmt::format("var name '{}' must be letters, digits and _", key));
    RawVar var{std::nullopt, at};
    if (value.isScalar())
      var.value = value.scalar();
    else if (!value.isNull())
      throw ProfileError(at, fmt::format("var '{}' must be a single value", key));
    layer.vars[key] = var;
  }
}

void readChecks(const YamlNode& node, const std::string& file, RawProfile& layer,
                const RawField& defaultTimeout, const RawField& defaultSeverity) {
  if (!node.isSequence()) throw ProfileError(positionOf(node, file), "'checks' must be a list");
  std::unordered_map<std::string_view, int> seenAtLine;  // views of the ids' scalars
  seenAtLine.reserve(node.items().size());
  for (const auto& item : node.items()) {
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
    if (!id->second.node.isScalar() || !isCheckId(id->second.node.scalar()))
      throw ProfileError(idPos,
                         fmt::format("id '{}' must be lower-case letters, digits, '.', '_' or '-'",
                                     id->second.node.isScalar() ? id->second.node.scalar() : "?"));
    check.id = id->second.node.scalar();
    auto [first, isNew] = seenAtLine.emplace(id->second.node.scalar(), idPos.line);
    if (!isNew)
      throw ProfileError(
          idPos, fmt::format("duplicate id '{}' (first at line {})", check.id, first->second));
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
  YamlNode root = parseYaml(source);
  if (!root.isDefined() || root.isNull()) throw ProfileError({file, 1, 1}, "the profile is empty");
  auto& top = doc.top;
  for (const auto& [key, keyNode, value] : mappingEntries(root, file, "a profile")) {
    top[key] = value;
    if (!kTopKeys.count(key))
      throw ProfileError(
          positionOf(keyNode, file),
          fmt::format("unknown key '{}' (allowed: format, name, description, subject, extends, "
                      "vars, stages, defaults, checks, drop, onboarding)",
                      key));
  }
  checkFormat(top, file);
  if (!top.count("name") || !top["name"].isScalar() || top["name"].scalar().empty())
    throw ProfileError(positionOf(root, file), "the profile has no 'name'");
  doc.name = top["name"].scalar();
  if (top.count("description")) doc.description = top["description"].scalar();
  if (top.count("subject")) {
    doc.subject = top["subject"].scalar();
    if (doc.subject != "host" && doc.subject != "image")
      throw ProfileError(positionOf(top["subject"], file),
                         fmt::format("subject: expected host or image, got '{}'", doc.subject));
  }
  return doc;
}

std::vector<std::pair<std::string, YamlNode>> profileList(const ProfileDocument& doc,
                                                          const std::string& key) {
  std::vector<std::pair<std::string, YamlNode>> out;
  auto found = doc.top.find(key);
  if (found == doc.top.end()) return out;
  const YamlNode& node = found->second;
  if (node.isScalar()) return {{node.scalar(), node}};
  if (!node.isSequence())
    throw ProfileError(positionOf(node, doc.file), fmt::format("'{}' must be a list", key));
  for (const auto& item : node.items()) {
    if (!item.isScalar())
      throw ProfileError(positionOf(item, doc.file),
                         fmt::format("items of '{}' must be single values", key));
    out.emplace_back(item.scalar(), item);
  }
  return out;
}

RawProfile readOwnLayer(const ProfileDocument& doc) {
  const std::string& file = doc.file;
  RawProfile layer;
  layer.name = doc.name;
  layer.description = doc.description;
  layer.subject = doc.subject;
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
  if (doc.top.count("stages")) layer.stages = {doc.top.at("stages"), file, doc.top.at("stages")};
  if (doc.top.count("checks"))
    readChecks(doc.top.at("checks"), file, layer, defaultTimeout, defaultSeverity);
  return layer;
}

}  // namespace bbcheck
