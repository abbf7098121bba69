#include "probes/registry.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "probes/param_binding.h"

namespace bbcheck {
namespace {

struct CountParams {
  int64_t count = 1;
};

Outcome runCount(const CountParams& p, const ProbeContext&) {
  return Outcome::pass(std::to_string(p.count));
}

ProbeKind countKind(const std::string& name) {
  return probeKind(name, "counts", {intParam("count", &CountParams::count, "how many")}, runCount);
}

TEST(Registry, FindsKindsByNameAndListsThemSorted) {
  Registry registry({countKind("b"), countKind("a"), countKind("c")});
  ASSERT_NE(registry.find("b"), nullptr);
  EXPECT_EQ(registry.find("b")->name, "b");
  EXPECT_EQ(registry.find("d"), nullptr);
  ASSERT_EQ(registry.all().size(), 3u);
  EXPECT_EQ(registry.all()[0].name, "a");
  EXPECT_EQ(registry.names(), "a, b, c");
}

TEST(Registry, RefusesTwoKindsOfOneName) {
  try {
    Registry registry({countKind("a"), countKind("a")});
    FAIL() << "two kinds named a";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "probe kind 'a' is listed twice");
  }
}

TEST(Registry, RefusesADeclarationTheProfileLayerCannotHonour) {
  struct Declared {
    int64_t count = 5;
    std::string text;
  };
  auto run = +[](const Declared&, const ProbeContext&) { return Outcome::pass(""); };
  // Required, yet the struct gives it a value: which one would apply?
  EXPECT_THROW(
      Registry({probeKind("k", "", {intParam("count", &Declared::count, "").required()}, run)}),
      std::invalid_argument);
  // Choices are for strings, ranges for integers.
  EXPECT_THROW(
      Registry({probeKind("k", "", {intParam("count", &Declared::count, "").oneOf({"1"})}, run)}),
      std::invalid_argument);
  EXPECT_THROW(
      Registry({probeKind("k", "", {stringParam("text", &Declared::text, "").atLeast(0)}, run)}),
      std::invalid_argument);
}

TEST(Registry, AStandInKeepsTheDeclarationAndSkips) {
  ProbeKind standIn = notSupportedHere(countKind("a"));
  EXPECT_EQ(standIn.name, "a");
  EXPECT_EQ(standIn.summary, "counts");
  ASSERT_EQ(standIn.params.size(), 1u);
  EXPECT_EQ(standIn.params[0].default_value, "1");
  Outcome o = standIn.run(Params{}, ProbeContext{});
  EXPECT_EQ(o.status, Status::Skip);
  EXPECT_EQ(o.message, "not supported on this platform yet");
}

}  // namespace
}  // namespace bbcheck
