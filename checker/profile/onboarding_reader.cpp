#include "checker/profile/onboarding_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "checker/profile/profile_error.h"
#include "checker/profile/vars.h"
#include "probes/text.h"

namespace bbcheck {

const std::vector<std::string>& onboardingAnswerNames() {
  static const std::vector<std::string> names = {
      "owner_username", "owner_name", "owner_email", "architecture", "operating_system", "special"};
  return names;
}

namespace {

// ${var} in an onboarding field, against the profile's final var values
// (kept literal: a value holding "${" is not expanded again).
std::string substituteVars(const std::string& text, const std::map<std::string, std::string>& vars,
                           const SourcePos& pos) {
  std::map<std::string, VarExpander::Var> declared;
  for (const auto& [name, value] : vars) {
    std::string literal;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value.compare(i, 2, "${") == 0) literal += '$';
      literal += value[i];
    }
    declared[name] = {literal, pos};
  }
  VarExpander expander(std::move(declared));
  return expander.expand(text, pos);
}

// One mapping of the section, read with positions and substituted vars.
class Section {
 public:
  Section(const YamlNode& node, const std::string& file, const std::string& what,
          const std::vector<std::string>& keys, const std::map<std::string, std::string>& vars)
      : node_(node), file_(file), what_(what), vars_(vars) {
    if (!node.isMap())
      throw ProfileError(positionOf(node, file), fmt::format("'{}' must be a mapping", what));
    std::set<std::string> seen;
    for (const auto& entry : node.entries()) {
      SourcePos at = positionOf(entry.first, file);
      std::string key = entry.first.isScalar() ? entry.first.scalar() : "?";
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        throw ProfileError(at, fmt::format("unknown key '{}' in {} (allowed: {})", key, what,
                                           joinedWith(keys, ", ")));
      if (!seen.insert(key).second)
        throw ProfileError(at, fmt::format("duplicate key '{}' in {}", key, what));
    }
  }

  bool has(const std::string& key) const { return node_.find(key).isDefined(); }

  YamlNode node(const std::string& key) const { return node_.find(key); }

  std::string text(const std::string& key, bool required) const {
    YamlNode value = node_.find(key);
    if (!value.isDefined() || value.isNull()) {
      if (required)
        throw ProfileError(positionOf(node_, file_), fmt::format("{} has no '{}'", what_, key));
      return "";
    }
    if (!value.isScalar())
      throw ProfileError(positionOf(value, file_),
                         fmt::format("'{}' in {} must be a single value", key, what_));
    return substituteVars(value.scalar(), vars_, positionOf(value, file_));
  }

  std::vector<std::string> list(const std::string& key) const {
    YamlNode value = node_.find(key);
    std::vector<std::string> out;
    if (!value.isDefined() || value.isNull()) return out;
    if (value.isScalar()) return {text(key, false)};
    if (!value.isSequence())
      throw ProfileError(positionOf(value, file_),
                         fmt::format("'{}' in {} must be a list", key, what_));
    for (const auto& item : value.items()) {
      if (!item.isScalar())
        throw ProfileError(positionOf(item, file_),
                           fmt::format("items of '{}' in {} must be single values", key, what_));
      out.push_back(substituteVars(item.scalar(), vars_, positionOf(item, file_)));
    }
    return out;
  }

  const std::string& file() const { return file_; }
  const std::map<std::string, std::string>& vars() const { return vars_; }

 private:
  YamlNode node_;
  std::string file_;
  std::string what_;
  const std::map<std::string, std::string>& vars_;
};

FormField readField(const Section& parent, const std::string& key, const std::string& what) {
  Section field(parent.node(key), parent.file(), what, {"id", "label"}, parent.vars());
  return {field.text("id", true), field.text("label", true)};
}

void checkSelectors(const Section& section, const std::string& key,
                    const std::vector<std::string>& selectors) {
  for (const auto& s : selectors)
    if (s.empty() || s == "tag:")
      throw ProfileError(positionOf(section.node(key), section.file()),
                         fmt::format("'{}': an empty selector (an id, an id prefix ending in '.', "
                                     "or tag:NAME)",
                                     key));
}

}  // namespace

Onboarding readOnboarding(const RawField& raw, const std::map<std::string, std::string>& vars) {
  Section section(raw.node, raw.file, "onboarding",
                  {"form", "template", "title", "fields", "password", "tests_affected_by",
                   "outbound", "exclude_when_offline", "entry"},
                  vars);
  Onboarding o;
  o.form = section.text("form", true);
  if (o.form.rfind("https://", 0) != 0 && o.form.rfind("http://", 0) != 0)
    throw ProfileError(positionOf(section.node("form"), raw.file),
                       fmt::format("onboarding form '{}' is not an http(s) URL", o.form));
  o.template_name = section.text("template", false);
  o.title = section.text("title", false);
  if (section.has("fields")) {
    Section fields(section.node("fields"), raw.file, "onboarding fields", onboardingAnswerNames(),
                   vars);
    for (const auto& name : onboardingAnswerNames())
      if (fields.has(name)) o.fields[name] = readField(fields, name, "onboarding field " + name);
  }
  if (section.has("password")) {
    Section password(section.node("password"), raw.file, "onboarding password",
                     {"id", "label", "advice"}, vars);
    o.password = {password.text("id", true), password.text("label", true)};
    o.password_advice = password.text("advice", false);
  }
  o.tests_affected_by = section.list("tests_affected_by");
  checkSelectors(section, "tests_affected_by", o.tests_affected_by);
  o.outbound = section.list("outbound");
  checkSelectors(section, "outbound", o.outbound);
  o.exclude_when_offline = section.list("exclude_when_offline");
  for (const auto& resource : o.exclude_when_offline) {
    bool plain = !resource.empty();
    for (char c : resource)
      plain &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    if (!plain)
      throw ProfileError(positionOf(section.node("exclude_when_offline"), raw.file),
                         fmt::format("test resource '{}' is not a plain name", resource));
  }
  if (section.has("entry")) {
    Section entry(section.node("entry"), raw.file, "onboarding entry", {"file", "call"}, vars);
    o.entry_file = entry.text("file", false);
    o.entry_call = entry.text("call", true);
    bool identifier =
        !o.entry_call.empty() && !std::isdigit(static_cast<unsigned char>(o.entry_call[0]));
    for (char c : o.entry_call)
      identifier &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    if (!identifier)
      throw ProfileError(
          positionOf(entry.node("call"), raw.file),
          fmt::format("onboarding entry call '{}' is not a Python name", o.entry_call));
  }
  return o;
}

}  // namespace bbcheck
