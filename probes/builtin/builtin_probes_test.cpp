#include "probes/builtin/builtin_probes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

namespace bbcheck {
namespace {

TEST(BuiltinProbes, TheListMakesARegistry) {
  // The registry checks names and declarations as it is built.
  const Registry& registry = builtinRegistry();
  EXPECT_EQ(registry.all().size(), builtinProbes().size());
  for (const char* name : {"cpu", "memory", "disk", "dns", "http", "compiler", "buildarea"})
    EXPECT_NE(registry.find(name), nullptr) << name;
}

TEST(BuiltinProbes, EachParameterIsDeclaredOnceWithHelp) {
  for (const ProbeKind& kind : builtinRegistry().all()) {
    EXPECT_FALSE(kind.summary.empty()) << kind.name;
    std::set<std::string> names;
    for (const ParamSpec& spec : kind.params) {
      EXPECT_TRUE(names.insert(spec.name).second) << kind.name << ": " << spec.name;
      EXPECT_FALSE(spec.help.empty()) << kind.name << ": " << spec.name;
    }
  }
}

TEST(BuiltinProbes, OnlyServiceEnvReadsTheServiceEnvironment) {
  for (const ProbeKind& kind : builtinRegistry().all())
    EXPECT_EQ(static_cast<bool>(kind.read_service_environment), kind.name == "service-env")
        << kind.name;
}

// Some value of a parameter's type.
ParamValue someValue(ParamType type) {
  switch (type) {
    case ParamType::Int:
    case ParamType::Size:
    case ParamType::Duration:
      return int64_t{1};
    case ParamType::Bool:
      return false;
    case ParamType::StringList:
      return std::vector<std::string>{"x"};
    case ParamType::IntList:
      return std::vector<int64_t>{1};
    default:
      return std::string("x");
  }
}

TEST(BuiltinProbes, EveryKindRefusesAParameterItDoesNotDeclare) {
  // Profiles are validated first; this guards the engine's side.
  for (const ProbeKind& kind : builtinRegistry().all()) {
    Params values;
    for (const ParamSpec& spec : kind.params)
      if (spec.required) values.set(spec.name, someValue(spec.type));
    values.set("no_such_parameter", std::string("x"));
    try {
      kind.run(values, ProbeContext{});
      ADD_FAILURE() << kind.name << " ran with a parameter it does not declare";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(e.what(), fmt::format("probe {}: parameter 'no_such_parameter' is not one of its "
                                      "parameters",
                                      kind.name));
    }
  }
}

}  // namespace
}  // namespace bbcheck
