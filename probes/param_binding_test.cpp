#include "probes/param_binding.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace bbcheck {
namespace {

struct SampleParams {
  std::string name;
  std::string mode = "fast";
  int64_t count = 3;
  std::optional<int64_t> port;
  int64_t bytes = 512 * 1024 * 1024;
  int64_t wait = 1000;
  bool loud = false;
  std::vector<std::string> tags = {"a", "b"};
  std::vector<int64_t> ports;
};

std::vector<Param<SampleParams>> sampleParams() {
  return {stringParam("name", &SampleParams::name, "a name").required(),
          stringParam("mode", &SampleParams::mode, "how").oneOf({"fast", "slow"}),
          intParam("count", &SampleParams::count, "how many").atLeast(0),
          intParam("port", &SampleParams::port, "one port").between(1, 65535),
          sizeParam("bytes", &SampleParams::bytes, "how much"),
          durationParam("wait", &SampleParams::wait, "how long"),
          boolParam("loud", &SampleParams::loud, "say it"),
          stringListParam("tags", &SampleParams::tags, "labels"),
          intListParam("ports", &SampleParams::ports, "ports")};
}

const ParamSpec& specNamed(const std::vector<ParamSpec>& specs, const std::string& name) {
  for (const auto& spec : specs)
    if (spec.name == name) return spec;
  throw std::out_of_range(name);
}

TEST(ParamBinding, SpecsTakeTheirDefaultsFromTheStruct) {
  std::vector<ParamSpec> specs = ParamList<SampleParams>("sample", sampleParams()).specs();
  ASSERT_EQ(specs.size(), 9u);
  EXPECT_EQ(specNamed(specs, "name").default_value, "");
  EXPECT_TRUE(specNamed(specs, "name").required);
  EXPECT_EQ(specNamed(specs, "mode").default_value, "fast");
  EXPECT_EQ(specNamed(specs, "mode").choices, (std::vector<std::string>{"fast", "slow"}));
  EXPECT_EQ(specNamed(specs, "count").default_value, "3");
  EXPECT_EQ(specNamed(specs, "count").min, 0);
  EXPECT_EQ(specNamed(specs, "port").default_value, "");  // unset: no default
  EXPECT_EQ(specNamed(specs, "port").max, 65535);
  EXPECT_EQ(specNamed(specs, "bytes").default_value, "512MiB");
  EXPECT_EQ(specNamed(specs, "bytes").type, ParamType::Size);
  EXPECT_EQ(specNamed(specs, "wait").default_value, "1s");
  EXPECT_EQ(specNamed(specs, "loud").default_value, "false");
  EXPECT_EQ(specNamed(specs, "tags").default_value, "[a, b]");
  EXPECT_EQ(specNamed(specs, "ports").default_value, "");  // empty: no default
}

TEST(ParamBinding, DefaultTextUsesTheLargestExactUnit) {
  EXPECT_EQ(defaultText(ParamType::Duration, int64_t{1500}), "1500ms");
  EXPECT_EQ(defaultText(ParamType::Duration, int64_t{120000}), "2m");
  EXPECT_EQ(defaultText(ParamType::Duration, int64_t{7200000}), "2h");
  EXPECT_EQ(defaultText(ParamType::Size, int64_t{0}), "0");
  EXPECT_EQ(defaultText(ParamType::Size, int64_t{1000}), "1000");
  EXPECT_EQ(defaultText(ParamType::Size, int64_t{3} << 30), "3GiB");
  EXPECT_EQ(defaultText(ParamType::Int, int64_t{1024}), "1024");
  EXPECT_EQ(defaultText(ParamType::IntList, std::vector<int64_t>{80, 443}), "[80, 443]");
}

TEST(ParamBinding, BindFillsGivenValuesAndKeepsTheDefaults) {
  ParamList<SampleParams> list("sample", sampleParams());
  Params values;
  values.set("name", std::string("web"));
  values.set("port", int64_t{8080});
  values.set("tags", std::vector<std::string>{"x"});
  SampleParams s = list.bind(values);
  EXPECT_EQ(s.name, "web");
  EXPECT_EQ(s.port, 8080);
  EXPECT_EQ(s.tags, std::vector<std::string>{"x"});
  EXPECT_EQ(s.mode, "fast");
  EXPECT_EQ(s.count, 3);
  EXPECT_TRUE(s.ports.empty());
}

TEST(ParamBinding, BindRefusesAParameterTheKindDoesNotDeclare) {
  ParamList<SampleParams> list("sample", sampleParams());
  Params values;
  values.set("name", std::string("web"));
  values.set("colour", std::string("red"));
  try {
    list.bind(values);
    FAIL() << "bound an undeclared parameter";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "probe sample: parameter 'colour' is not one of its parameters");
  }
}

TEST(ParamBinding, BindRefusesAMissingRequiredValueAndAWrongType) {
  ParamList<SampleParams> list("sample", sampleParams());
  try {
    list.bind(Params{});
    FAIL() << "bound without the required name";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "probe sample: parameter 'name' is required");
  }
  Params values;
  values.set("name", std::string("web"));
  values.set("count", std::string("three"));
  try {
    list.bind(values);
    FAIL() << "bound text to an integer";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "probe sample: parameter 'count' has a value of another type");
  }
}

TEST(ParamBinding, ADeclarationNamesEachParameterAndMemberOnce) {
  EXPECT_THROW(ParamList<SampleParams>("sample", {intParam("count", &SampleParams::count, ""),
                                                  intParam("count", &SampleParams::port, "")}),
               std::invalid_argument);
  EXPECT_THROW(ParamList<SampleParams>("sample", {intParam("count", &SampleParams::count, ""),
                                                  intParam("total", &SampleParams::count, "")}),
               std::invalid_argument);
}

Outcome runSample(const SampleParams& s, const ProbeContext&) {
  return Outcome::pass(s.name + " " + std::to_string(s.count));
}

TEST(ParamBinding, AKindRunsWithItsStruct) {
  ProbeKind kind = probeKind("sample", "a sample kind", sampleParams(), runSample);
  EXPECT_EQ(kind.name, "sample");
  EXPECT_EQ(kind.params.size(), 9u);
  EXPECT_FALSE(kind.read_service_environment);
  Params values;
  values.set("name", std::string("web"));
  EXPECT_EQ(kind.run(values, ProbeContext{}).message, "web 3");
}

}  // namespace
}  // namespace bbcheck
