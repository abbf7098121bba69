#include "checker/profile/onboarding_reader.h"

#include <fmt/format.h>

#include <cctype>

#include "checker/profile/profile_error.h"
#include "checker/profile/profile_section.h"

namespace bbcheck {

const std::vector<std::string>& onboardingAnswerNames() {
  static const std::vector<std::string> names = {
      "owner_username", "owner_github",     "owner_name", "owner_email",
      "architecture",   "operating_system", "special"};
  return names;
}

namespace {

FormField readField(const ProfileSection& parent, const std::string& key, const std::string& what) {
  ProfileSection field(parent.node(key), parent.file(), what, {"id", "label"}, parent.vars());
  return {field.text("id", true), field.text("label", true)};
}

void checkSelectors(const ProfileSection& section, const std::string& key,
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
  ProfileSection section(raw.node, raw.file, "onboarding",
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
    ProfileSection fields(section.node("fields"), raw.file, "onboarding fields",
                          onboardingAnswerNames(), vars);
    for (const auto& name : onboardingAnswerNames())
      if (fields.has(name)) o.fields[name] = readField(fields, name, "onboarding field " + name);
  }
  if (section.has("password")) {
    ProfileSection password(section.node("password"), raw.file, "onboarding password",
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
    ProfileSection entry(section.node("entry"), raw.file, "onboarding entry", {"file", "call"},
                         vars);
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
