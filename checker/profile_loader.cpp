#include "checker/profile_loader.h"

#include <Poco/DigestEngine.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "checker/builtin_profiles.h"
#include "checker/check_builder.h"
#include "checker/raw_profile.h"
#include "checker/vars.h"

namespace bbcheck {

ProfileError::ProfileError(SourcePos pos, const std::string& message)
    : std::runtime_error(
          pos.file.empty() ? message
                           : fmt::format("{}:{}:{}: {}", pos.file, pos.line, pos.column, message)),
      pos_(std::move(pos)),
      message_(message) {}

SourcePos positionOf(const YAML::Node& node, const std::string& file) {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

namespace {

const std::set<std::string> kTopKeys = {"format", "name",     "description", "extends",
                                        "vars",   "defaults", "checks",      "drop"};

struct Source {
  std::string identity;  // "builtin:NAME" or a canonical path: for cycles
  std::string file;      // as shown in positions
  std::string dir;       // where relative extends resolve
  std::string text;
};

bool looksLikePath(const std::string& ref) {
  auto endsWith = [&](const std::string& suffix) {
    return ref.size() > suffix.size() &&
           ref.compare(ref.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ref.find('/') != std::string::npos || endsWith(".yaml") || endsWith(".yml");
}

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

// Finds a profile by reference; `fromDir` is where relative paths start
// ("" for the command line: the working directory).
Source locate(const std::string& ref, const std::string& fromDir, const SourcePos& usedAt) {
  if (!looksLikePath(ref)) {
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
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw ProfileError(usedAt, fmt::format("cannot read profile '{}': not a regular file", file));
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw ProfileError(usedAt,
                       fmt::format("cannot read profile '{}': {}", file, std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  char resolved[PATH_MAX];
  std::string identity = ::realpath(file.c_str(), resolved) ? resolved : file;
  return {identity, file, Poco::Path(file).parent().toString(), text.str()};
}

YAML::Node parseYaml(const Source& source) {
  try {
    return YAML::Load(source.text);
  } catch (const YAML::Exception& e) {
    throw ProfileError({source.file, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
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

std::vector<std::pair<std::string, YAML::Node>> sequenceOrScalar(const YAML::Node& node,
                                                                 const std::string& file,
                                                                 const std::string& what) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  if (node.IsScalar()) return {{node.Scalar(), node}};
  if (!node.IsSequence())
    throw ProfileError(positionOf(node, file), fmt::format("'{}' must be a list", what));
  for (const auto& item : node) {
    if (!item.IsScalar())
      throw ProfileError(positionOf(item, file),
                         fmt::format("items of '{}' must be single values", what));
    out.emplace_back(item.Scalar(), item);
  }
  return out;
}

// Overlays `child` on `base`: vars replace, checks with a known id override
// field by field in place, new checks append.
void overlay(RawProfile& base, const RawProfile& child) {
  for (const auto& [name, var] : child.vars) base.vars[name] = var;
  for (const auto& check : child.checks) {
    auto it = std::find_if(base.checks.begin(), base.checks.end(),
                           [&](const RawCheck& c) { return c.id == check.id; });
    if (it == base.checks.end()) {
      base.checks.push_back(check);
      continue;
    }
    for (const auto& [key, field] : check.fields) it->fields[key] = field;
  }
}

class Loader {
 public:
  RawProfile load(const std::string& ref, const std::string& fromDir, const SourcePos& usedAt) {
    Source source = locate(ref, fromDir, usedAt);
    return loadSource(source, usedAt);
  }

  RawProfile loadSource(const Source& source, const SourcePos& usedAt) {
    if (std::find(stack_.begin(), stack_.end(), source.identity) != stack_.end()) {
      std::string chain;
      for (const auto& s : stack_) chain += s + " -> ";
      throw ProfileError(usedAt, fmt::format("extends cycle: {}{}", chain, source.identity));
    }
    stack_.push_back(source.identity);
    if (stack_.size() == 1) topText_ = source.text;
    RawProfile result = loadLayer(source);
    stack_.pop_back();
    return result;
  }

  const std::string& topText() const { return topText_; }

 private:
  RawProfile loadLayer(const Source& source) {
    const std::string& file = source.file;
    YAML::Node root = parseYaml(source);
    if (!root.IsDefined() || root.IsNull())
      throw ProfileError({file, 1, 1}, "the profile is empty");
    std::map<std::string, YAML::Node> top;
    for (const auto& [key, keyNode, value] : mappingEntries(root, file, "a profile")) {
      top[key] = value;
      if (!kTopKeys.count(key))
        throw ProfileError(
            positionOf(keyNode, file),
            fmt::format("unknown key '{}' (allowed: format, name, description, extends, vars, "
                        "defaults, checks, drop)",
                        key));
    }
    checkFormat(top, file);
    RawProfile layer;
    if (!top.count("name") || !top["name"].IsScalar() || top["name"].Scalar().empty())
      throw ProfileError(positionOf(root, file), "the profile has no 'name'");
    layer.name = top["name"].Scalar();
    if (top.count("description")) layer.description = top["description"].Scalar();

    RawProfile merged;
    if (top.count("extends")) {
      for (const auto& [ref, node] : sequenceOrScalar(top["extends"], file, "extends"))
        overlay(merged, load(ref, source.dir, positionOf(node, file)));
    }
    if (top.count("drop")) {
      for (const auto& [id, node] : sequenceOrScalar(top["drop"], file, "drop")) {
        auto it = std::find_if(merged.checks.begin(), merged.checks.end(),
                               [&](const RawCheck& c) { return c.id == id; });
        if (it == merged.checks.end())
          throw ProfileError(positionOf(node, file),
                             fmt::format("drop: no check '{}' in the extended profiles", id));
        merged.checks.erase(it);
      }
    }
    if (top.count("vars")) readVars(top["vars"], file, layer);
    RawField defaultTimeout, defaultSeverity;
    if (top.count("defaults")) {
      for (const auto& [key, keyNode, node] : mappingEntries(top["defaults"], file, "defaults")) {
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
    if (top.count("checks"))
      readChecks(top["checks"], file, layer, defaultTimeout, defaultSeverity);
    merged.name = layer.name;
    merged.description = layer.description;
    overlay(merged, layer);
    return merged;
  }

  static void checkFormat(std::map<std::string, YAML::Node>& top, const std::string& file) {
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
  static bool isVarName(const std::string& text) {
    auto letter = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    auto word = [&](char c) { return letter(c) || (c >= '0' && c <= '9'); };
    return !text.empty() && letter(text[0]) && std::all_of(text.begin(), text.end(), word);
  }

  static bool isCheckId(const std::string& text) {
    auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    auto idChar = [&](char c) { return lowerOrDigit(c) || c == '.' || c == '_' || c == '-'; };
    return !text.empty() && lowerOrDigit(text[0]) && std::all_of(text.begin(), text.end(), idChar);
  }

  static void readVars(const YAML::Node& node, const std::string& file, RawProfile& layer) {
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

  static void readChecks(const YAML::Node& node, const std::string& file, RawProfile& layer,
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
        throw ProfileError(
            idPos, fmt::format("id '{}' must be lower-case letters, digits, '.', '_' or '-'",
                               id->second.node.IsScalar() ? id->second.node.Scalar() : "?"));
      check.id = id->second.node.Scalar();
      if (seen.count(check.id))
        throw ProfileError(idPos, fmt::format("duplicate id '{}' (first at line {})", check.id,
                                              seen[check.id].line));
      seen[check.id] = idPos;
      layer.checks.push_back(std::move(check));
    }
  }

  std::vector<std::string> stack_;
  std::string topText_;
};

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// Final var values: --set overrides, then ${env:...} and ${other} inside values.
std::map<std::string, std::string> resolveVars(const RawProfile& raw, const LoadOptions& options) {
  std::map<std::string, RawVar> vars = raw.vars;
  for (const auto& [name, value] : options.overrides) {
    auto it = vars.find(name);
    if (it == vars.end()) {
      std::string declared;
      for (const auto& [n, v] : vars) declared += (declared.empty() ? "" : ", ") + n;
      throw ProfileError({}, fmt::format("--set {}: profile {} has no var '{}' (vars: {})", name,
                                         raw.name, name, declared.empty() ? "none" : declared));
    }
    it->second.value = value;
  }
  std::map<std::string, std::string> plain;
  for (const auto& [name, var] : vars) {
    if (!var.value)
      throw ProfileError(
          var.pos, fmt::format("var '{}' has no value: set it with --set {}=VALUE", name, name));
    plain[name] = *var.value;
  }
  // Values may refer to the environment and to other vars; a few rounds
  // settle any sensible chain, and a cycle stays unresolved and is reported.
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    for (auto& [name, value] : plain) {
      if (value.find("${") == std::string::npos) continue;
      std::string next = substituteVars(value, plain, vars.at(name).pos);
      changed |= next != value;
      value = next;
    }
    if (!changed) break;
  }
  for (const auto& [name, value] : plain) {
    if (value.find("${") != std::string::npos)
      throw ProfileError(vars.at(name).pos,
                         fmt::format("var '{}' refers to itself through other vars", name));
  }
  return plain;
}

void checkNeeds(const Profile& profile) {
  std::map<std::string, const Check*> byId;
  for (const auto& c : profile.checks) byId[c.id] = &c;
  for (const auto& c : profile.checks) {
    for (const auto& need : c.needs) {
      if (!byId.count(need))
        throw ProfileError(
            c.pos,
            fmt::format("check '{}' needs '{}', which is not a check of this profile", c.id, need));
      if (need == c.id) throw ProfileError(c.pos, fmt::format("check '{}' needs itself", c.id));
    }
  }
  // Depth-first search for a cycle; report it as a chain of ids.
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::function<void(const Check&)> visit = [&](const Check& c) {
    state[c.id] = 1;
    path.push_back(c.id);
    for (const auto& need : c.needs) {
      if (state[need] == 1) {
        std::string chain;
        auto from = std::find(path.begin(), path.end(), need);
        for (auto it = from; it != path.end(); ++it) chain += *it + " -> ";
        throw ProfileError(byId[need]->pos, fmt::format("needs cycle: {}{}", chain, need));
      }
      if (state[need] == 0) visit(*byId[need]);
    }
    path.pop_back();
    state[c.id] = 2;
  };
  for (const auto& c : profile.checks)
    if (state[c.id] == 0) visit(c);
}

Profile finish(const RawProfile& raw, const LoadOptions& options, std::string source,
               std::string sha) {
  Profile profile;
  profile.name = raw.name;
  profile.description = raw.description;
  profile.source = std::move(source);
  profile.sha256 = std::move(sha);
  profile.vars = resolveVars(raw, options);
  for (const auto& rawCheck : raw.checks) {
    Check check = buildCheck(rawCheck, profile.vars);
    check.origin = rawCheck.origin;
    profile.checks.push_back(std::move(check));
  }
  checkNeeds(profile);
  return profile;
}

}  // namespace

Profile loadProfiles(const std::vector<std::string>& refs, const LoadOptions& options) {
  std::vector<std::string> all = refs.empty() ? std::vector<std::string>{kDefaultProfile} : refs;
  RawProfile merged;
  std::string names, sources, texts;
  for (const auto& ref : all) {
    Loader loader;
    RawProfile layer = loader.load(ref, "", {});
    names += (names.empty() ? "" : "+") + layer.name;
    sources += (sources.empty() ? "" : ",") + (looksLikePath(ref) ? ref : "builtin:" + ref);
    texts += loader.topText();
    merged.description = layer.description;
    overlay(merged, layer);
  }
  merged.name = names;
  return finish(merged, options, sources, sha256Hex(texts));
}

Profile loadProfileText(const std::string& text, const std::string& file,
                        const LoadOptions& options) {
  Loader loader;
  Source source{file, file, Poco::Path(file).parent().toString(), text};
  RawProfile raw = loader.loadSource(source, {});
  return finish(raw, options, file, sha256Hex(text));
}

std::vector<std::string> builtinProfileNames() {
  std::vector<std::string> names;
  for (const auto& p : builtinProfiles()) names.push_back(p.name);
  return names;
}

}  // namespace bbcheck
