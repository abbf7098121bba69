#include "checker/profile/check_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include "checker/profile/param_convert.h"
#include "checker/profile/profile_error.h"
#include "checker/profile/units.h"
#include "checker/profile/vars.h"
#include "checker/profile/yaml_reader.h"
#include "probes/registry.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

const std::set<std::string> kCheckKeys = {"id",      "title",     "probe", "with",   "severity",
                                          "tags",    "needs",     "why",   "fix",    "docs",
                                          "timeout", "platforms", "when",  "unless", "stage"};
const std::set<std::string> kPlatforms = {"linux",   "darwin", "freebsd",
                                          "openbsd", "netbsd", "windows"};

// Everything one check needs to read its fields with positions.
class FieldReader {
 public:
  FieldReader(const RawCheck& raw, VarExpander& vars) : raw_(raw), vars_(vars) {}

  bool has(const std::string& key) const { return field(key).present(); }

  SourcePos pos(const std::string& key) const {
    const RawField& f = field(key);
    return f.present() ? positionOf(f.node, f.file) : raw_.pos;
  }

  // A scalar field, substituted; `fallback` when absent.
  std::string text(const std::string& key, const std::string& fallback = "") const {
    return scalar(field(key), key, fallback);
  }

  std::string scalar(const RawField& f, const std::string& what,
                     const std::string& fallback) const {
    if (!f.present() || f.node.isNull()) return fallback;
    if (!f.node.isScalar())
      throw ProfileError(positionOf(f.node, f.file),
                         fmt::format("'{}' must be a single value", what));
    return vars_.expandAt(f.node.scalar(), [&f] { return positionOf(f.node, f.file); });
  }

  // A list of strings; a lone scalar is a list of one.
  std::vector<std::string> list(const std::string& key) const {
    const RawField& f = field(key);
    std::vector<std::string> out;
    if (!f.present() || f.node.isNull()) return out;
    if (f.node.isScalar()) return {scalar(f, key, "")};
    if (!f.node.isSequence()) throw ProfileError(pos(key), fmt::format("'{}' must be a list", key));
    for (const auto& item : f.node.items()) {
      if (!item.isScalar())
        throw ProfileError(positionOf(item, f.file),
                           fmt::format("items of '{}' must be single values", key));
      out.push_back(vars_.expandAt(item.scalar(), [&] { return positionOf(item, f.file); }));
    }
    return out;
  }

  const RawField& field(const std::string& key) const {
    static const RawField absent;
    auto it = raw_.fields.find(key);
    return it == raw_.fields.end() ? absent : it->second;
  }

  VarExpander& vars() const { return vars_; }

 private:
  const RawCheck& raw_;
  VarExpander& vars_;
};

// A default is written as YAML ("[sudo, wheel]", "60", "${master}"); text
// that is not a plain value or list of values stays one string.
std::vector<std::string> defaultItems(const std::string& text) {
  try {
    YamlNode node = readYamlDocument(text);
    if (node.isScalar()) return {node.scalar()};
    if (node.isSequence()) {
      std::vector<std::string> items;
      for (const auto& item : node.items()) {
        if (!item.isScalar()) return {text};
        items.push_back(item.scalar());
      }
      return items;
    }
  } catch (const YamlSyntaxError&) {
  }
  return {text};
}

Params buildParams(const FieldReader& fields, const ProbeKind& kind) {
  Params params;
  const RawField& with = fields.field("with");
  // A probe takes a handful of parameters: a scan, no index per check.
  auto specOf = [&kind](const std::string& name) -> const ParamSpec* {
    for (const auto& spec : kind.params)
      if (spec.name == name) return &spec;
    return nullptr;
  };

  if (with.present() && !with.node.isNull()) {
    if (!with.node.isMap())
      throw ProfileError(fields.pos("with"), "'with' must be a mapping of parameters");
    for (const auto& entry : with.node.entries()) {
      const std::string& name = entry.first.scalar();
      const ParamSpec* spec = specOf(name);
      if (spec == nullptr) {
        std::vector<std::string> accepted;
        for (const auto& known : kind.params) accepted.push_back(known.name);
        throw ProfileError(
            positionOf(entry.first, with.file),
            fmt::format("unknown parameter '{}' for probe {} (accepts: {})", name, kind.name,
                        accepted.empty() ? "none" : joinedWith(accepted, ", ")));
      }
      if (params.has(name))
        throw ProfileError(positionOf(entry.first, with.file),
                           fmt::format("parameter '{}' given twice", name));
      const YamlNode& value = entry.second;
      SourcePos valuePos = positionOf(value, with.file);
      std::vector<std::pair<std::string, SourcePos>> items;
      if (value.isSequence()) {
        for (const auto& item : value.items()) {
          if (!item.isScalar())
            throw ProfileError(
                positionOf(item, with.file),
                fmt::format("parameter '{}': list items must be single values", name));
          SourcePos at = positionOf(item, with.file);
          items.emplace_back(fields.vars().expand(item.scalar(), at), at);
        }
      } else if (value.isScalar()) {
        items.emplace_back(fields.vars().expand(value.scalar(), valuePos), valuePos);
      } else if (value.isNull()) {
        throw ProfileError(valuePos,
                           fmt::format("parameter '{}' of probe {} has no value", name, kind.name));
      } else {
        throw ProfileError(
            valuePos, fmt::format("parameter '{}' of probe {}: expected {}, got a mapping", name,
                                  kind.name, typeHint(spec->type)));
      }
      params.set(name, convertParam(*spec, kind.name, items, value.isSequence(), valuePos));
    }
  }
  SourcePos checkPos = fields.pos("probe");
  for (const auto& spec : kind.params) {
    if (params.has(spec.name)) continue;
    if (spec.required)
      throw ProfileError(
          with.present() ? fields.pos("with") : checkPos,
          fmt::format("probe {} needs parameter '{}' ({})", kind.name, spec.name, spec.help));
    if (spec.default_value.empty()) continue;
    std::vector<std::pair<std::string, SourcePos>> items;
    for (const auto& item : defaultItems(spec.default_value)) {
      try {
        items.emplace_back(fields.vars().expand(item, checkPos), checkPos);
      } catch (const ProfileError& e) {
        throw ProfileError(checkPos,
                           fmt::format("parameter '{}' of probe {} defaults to {}: {}", spec.name,
                                       kind.name, spec.default_value, e.message()));
      }
    }
    bool many = items.size() != 1 || spec.default_value.rfind('[', 0) == 0;
    params.set(spec.name,
               convertParam(spec, kind.name, items, many && isList(spec.type), checkPos));
  }
  return params;
}

Severity parseSeverity(const std::string& text, const SourcePos& pos) {
  if (text == "required") return Severity::Required;
  if (text == "recommended") return Severity::Recommended;
  if (text == "info") return Severity::Info;
  throw ProfileError(pos,
                     fmt::format("severity '{}' is not one of: required, recommended, info", text));
}

// Why the check does not apply on this host, or "" when it does.
std::string applicability(const FieldReader& fields) {
  std::vector<std::string> platforms = fields.list("platforms");
  for (const auto& p : platforms) {
    if (!kPlatforms.count(p))
      throw ProfileError(fields.pos("platforms"),
                         fmt::format("unknown platform '{}' (known: linux, darwin, "
                                     "freebsd, openbsd, netbsd, windows)",
                                     p));
  }
  if (!platforms.empty() &&
      std::find(platforms.begin(), platforms.end(), currentPlatform()) == platforms.end())
    return fmt::format("not applicable on {}: only on {}", currentPlatform(),
                       joinedWith(platforms, ", "));
  for (const char* key : {"when", "unless"}) {
    if (!fields.has(key)) continue;
    std::string value = fields.text(key);
    auto truth = parseBool(value);
    if (!truth)
      throw ProfileError(
          fields.pos(key),
          fmt::format("'{}' must be true or false after substitution, got '{}'", key, value));
    bool isWhen = std::string(key) == "when";
    if (*truth != isWhen) {
      const YamlNode& node = fields.field(key).node;
      // `when: ${allow_root}` is said with the var's name and how to change
      // it, not as the unexpanded text.
      const std::string& written = node.scalar();
      bool oneVar = written.size() > 3 && written.compare(0, 2, "${") == 0 &&
                    written.back() == '}' && written.find_first_of("${}", 2) == written.size() - 1;
      if (oneVar) {
        std::string var = written.substr(2, written.size() - 3);
        return fmt::format("not applicable: {} is {} (it applies with --set {}={})", var, value,
                           var, isWhen ? "true" : "false");
      }
      return fmt::format("not applicable: {} {} is {}", key, written,
                         value.empty() ? "empty" : value);
    }
  }
  return "";
}

}  // namespace

const char* currentPlatform() {
#if defined(__linux__)
  return "linux";
#elif defined(__APPLE__)
  return "darwin";
#elif defined(__FreeBSD__)
  return "freebsd";
#elif defined(_WIN32)
  return "windows";
#else
  return "unknown";
#endif
}

Check buildCheck(const RawCheck& raw, VarExpander& vars, const Registry& probes) {
  FieldReader fields(raw, vars);
  for (const auto& [key, field] : raw.fields) {
    if (!kCheckKeys.count(key))
      throw ProfileError(
          positionOf(field.key, field.file),
          fmt::format("unknown key '{}' in check '{}' (allowed: id, title, probe, with, severity, "
                      "stage, tags, needs, why, fix, docs, timeout, platforms, when, unless)",
                      key, raw.id));
  }
  Check check;
  check.id = raw.id;
  check.pos = raw.pos;
  if (!fields.has("probe"))
    throw ProfileError(raw.pos, fmt::format("check '{}' has no 'probe'", raw.id));
  check.probe = fields.text("probe");
  const ProbeKind* kind = probes.find(check.probe);
  if (kind == nullptr)
    throw ProfileError(fields.pos("probe"), fmt::format("unknown probe kind '{}' (known: {})",
                                                        check.probe, probes.names()));
  check.kind = kind;
  check.title = fields.text("title", raw.id);
  check.why = fields.text("why");
  check.fix = fields.text("fix");
  check.docs = fields.text("docs");
  check.tags = fields.list("tags");
  check.needs = fields.list("needs");

  const RawField& severity =
      fields.has("severity") ? fields.field("severity") : raw.default_severity;
  std::string severityText = fields.scalar(severity, "severity", "required");
  check.severity = parseSeverity(
      severityText, severity.present() ? positionOf(severity.node, severity.file) : raw.pos);
  std::string stage = fields.text("stage", "host");
  if (stage != "host" && stage != "worker")
    throw ProfileError(fields.pos("stage"),
                       fmt::format("stage '{}' is not one of: host, worker", stage));
  check.stage = stage == "worker" ? Stage::Worker : Stage::Host;
  const RawField& timeout = fields.has("timeout") ? fields.field("timeout") : raw.default_timeout;
  if (timeout.present()) {
    std::string text = fields.scalar(timeout, "timeout", "");
    UnitError why = UnitError::Syntax;
    auto ms = parseDuration(text, &why);
    if (!ms && why == UnitError::OutOfRange)
      throw ProfileError(positionOf(timeout.node, timeout.file),
                         fmt::format("timeout '{}' is out of range", ellipsized(text)));
    if (!ms || *ms <= 0)
      throw ProfileError(positionOf(timeout.node, timeout.file),
                         fmt::format("timeout '{}' is not a duration like 250ms, 3s or 1m", text));
    check.timeout = Milliseconds(*ms);
  }
  check.params = buildParams(fields, *kind);
  check.not_applicable = applicability(fields);
  return check;
}

}  // namespace bbcheck
