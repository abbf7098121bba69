#include "checker/profile/check_builder.h"

#include <gtest/gtest.h>

#include "checker/profile/profile_loader.h"
#include "probes/builtin/builtin_probes.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

// A value of `type` as YAML, for a required parameter.
std::string yamlValue(ParamType type) {
  switch (type) {
    case ParamType::Int:
    case ParamType::Size:
    case ParamType::Duration:
      return "1";
    case ParamType::Bool:
      return "false";
    case ParamType::StringList:
      return "[x]";
    case ParamType::IntList:
      return "[1]";
    default:
      return "x";
  }
}

// One check of `kind` with only its required parameters.
Check loneCheck(const ProbeKind& kind) {
  std::string with;
  for (const ParamSpec& spec : kind.params)
    if (spec.required) with += (with.empty() ? "" : ", ") + spec.name + ": " + yamlValue(spec.type);
  std::string text =
      "format: 1\nname: p\nvars: { buildarea: /srv/ba, master: \"127.0.0.1:9989\" }\nchecks:\n"
      "  - id: a\n    probe: " +
      kind.name + "\n" + (with.empty() ? "" : "    with: { " + with + " }\n");
  return loadProfileText(text, "mem.yaml").checks.at(0);
}

// The default's text, written back from the value the profile layer read
// from it: the declaration and the profile layer agree on what it means.
TEST(CheckBuilder, EveryBuiltinDefaultReadsBackAsDeclared) {
  for (const ProbeKind& kind : builtinRegistry().all()) {
    Check check = loneCheck(kind);
    EXPECT_EQ(check.kind, &kind);
    for (const ParamSpec& spec : kind.params) {
      if (spec.default_value.empty() || spec.default_value.find("${") != std::string::npos)
        continue;
      ASSERT_TRUE(check.params.has(spec.name)) << kind.name << ": " << spec.name;
      std::string text =
          std::visit([&](const auto& value) { return defaultText(spec.type, value); },
                     check.params.all().at(spec.name));
      EXPECT_EQ(text, spec.default_value) << kind.name << ": " << spec.name;
    }
  }
}

TEST(CheckBuilder, AVarDefaultIsSubstituted) {
  Check check = loneCheck(*builtinRegistry().find("buildarea"));
  EXPECT_EQ(check.params.text("path"), "/srv/ba");
}

}  // namespace
}  // namespace bbcheck
