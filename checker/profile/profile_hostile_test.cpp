// Needs root: reads /proc files only root may open, to see them refused as profiles.
// Hostile and oversized profiles: each is a positioned ProfileError (exit 2
// from the CLI) in bounded time and memory, never a crash, hang or wrap.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "checker/profile/profile_loader.h"
#include "probes/text.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

std::string errorOf(const std::string& text) {
  try {
    loadProfileText(text, "mem.yaml");
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "(loaded without error)";
}

// v1 = v0 twice, v2 = v1 twice, ...: 16 copies per level, ten levels deep,
// is 16^10 times the seed -- it used to grow to gigabytes.
TEST(HostileProfile, NestedVarsAreBoundedNotGigabytes) {
  std::string text = "format: 1\nname: p\nvars:\n  v0: \"0123456789abcdef\"\n";
  for (int level = 1; level <= 10; ++level) {
    std::string ref = "${v" + std::to_string(level - 1) + "}";
    std::string value;
    for (int i = 0; i < 16; ++i) value += ref;
    text += "  v" + std::to_string(level) + ": \"" + value + "\"\n";
  }
  text += "checks:\n  - id: a\n    title: \"${v10}\"\n    probe: cpu\n";
  std::string error = errorOf(text);
  EXPECT_TRUE(contains(error, "larger than 1 MiB")) << error.substr(0, 300);
  EXPECT_TRUE(contains(error, "mem.yaml:")) << error.substr(0, 300);
  // Control: two levels (4 KiB) are fine.
  std::string small =
      "format: 1\nname: p\nvars: { a: x, b: \"${a}${a}\", c: \"${b}${b}\" }\nchecks:\n"
      "  - id: a\n    title: \"${c}\"\n    probe: cpu\n";
  EXPECT_EQ(loadProfileText(small, "mem.yaml").checks[0].title, "xxxx");
}

TEST(HostileProfile, LargeEnvironmentVariableUsedManyTimesIsBounded) {
  testing::ScopedEnv big("BBCHECK_TEST_BIG", std::string(128 * 1024, 'x'));
  std::string text = "format: 1\nname: p\nchecks:\n";
  // One value of 9 references: over 1 MiB.
  std::string many;
  for (int i = 0; i < 9; ++i) many += "${env:BBCHECK_TEST_BIG}";
  std::string one = text + "  - id: a\n    title: \"" + many + "\"\n    probe: cpu\n";
  EXPECT_TRUE(contains(errorOf(one), "larger than 1 MiB")) << errorOf(one).substr(0, 200);
  // 1,000 checks each within the limit, together over the total.
  std::string all = text;
  for (int i = 0; i < 1000; ++i)
    all += "  - id: c" + std::to_string(i) +
           "\n    title: \"${env:BBCHECK_TEST_BIG}\"\n    probe: cpu\n";
  std::string error = errorOf(all);
  EXPECT_TRUE(contains(error, "in all (limit)")) << error.substr(0, 200);
}

TEST(HostileProfile, DollarDollarBraceIsALiteral) {
  Profile p = loadProfileText(
      "format: 1\nname: p\nchecks:\n  - id: a\n    title: \"cost $${x} here\"\n    probe: cpu\n",
      "mem.yaml");
  EXPECT_EQ(p.checks[0].title, "cost ${x} here");
}

std::string chain(int n, bool cycle) {
  std::string text = "format: 1\nname: p\nchecks:\n";
  for (int i = 0; i < n; ++i) {
    text += "  - id: c" + std::to_string(i) + "\n    probe: cpu\n";
    if (i > 0)
      text += "    needs: [c" + std::to_string(i - 1) + "]\n";
    else if (cycle)
      text += "    needs: [c" + std::to_string(n - 1) + "]\n";
  }
  return text;
}

// The recursive cycle check overflowed the stack at 35,000.
TEST(HostileProfile, LongNeedsChainLoadsAndItsCycleIsNamed) {
  EXPECT_EQ(loadProfileText(chain(35000, false), "mem.yaml").checks.size(), 35000u);
  std::string error = errorOf(chain(35000, true));
  EXPECT_TRUE(contains(error, "needs cycle: c0 -> c34999 -> ")) << error.substr(0, 300);
}

TEST(HostileProfile, RegexRe2RejectsIsAPositionedError) {
  std::string error = errorOf(
      "format: 1\nname: p\nchecks:\n  - id: a\n    probe: command\n"
      "    with: { name: git, min_version: '1', version_regex: '(unclosed' }\n");
  EXPECT_TRUE(contains(error, "mem.yaml:6:")) << error;
  EXPECT_TRUE(contains(error, "invalid regular expression '(unclosed'")) << error;
}

TEST(HostileProfile, TwentyThousandNestedGroupsIsACleanAnswer) {
  std::string nested = std::string(20000, '(') + "x" + std::string(20000, ')');
  std::string error = errorOf(
      "format: 1\nname: p\nchecks:\n  - id: a\n    probe: command\n"
      "    with: { name: git, min_version: '1', version_regex: '" +
      nested + "' }\n");
  // RE2 refuses it (nesting depth limit): positioned, and the pattern shortened.
  EXPECT_TRUE(contains(error, "mem.yaml:6:")) << error.substr(0, 400);
  EXPECT_TRUE(contains(error, "invalid regular expression")) << error.substr(0, 400);
  EXPECT_LT(error.size(), 1000u);
}

TEST(HostileProfile, OutOfRangeNumbersArePositionedErrors) {
  std::string size = errorOf(
      "format: 1\nname: p\nchecks:\n  - id: a\n    probe: memory\n"
      "    with: { min: 99999999999999999999 }\n");
  EXPECT_TRUE(contains(size, "mem.yaml:6:")) << size;
  EXPECT_TRUE(contains(size, "99999999999999999999 is out of range")) << size;
  std::string count = errorOf(
      "format: 1\nname: p\nchecks:\n  - id: a\n    probe: cpu\n"
      "    with: { min: 99999999999999999999 }\n");
  EXPECT_TRUE(contains(count, "99999999999999999999 is out of range")) << count;
  std::string timeout = errorOf(
      "format: 1\nname: p\nchecks:\n  - id: a\n    probe: cpu\n"
      "    timeout: 99999999999h\n");
  EXPECT_TRUE(contains(timeout, "mem.yaml:6:14: timeout '99999999999h' is out of range"))
      << timeout;
}

TEST(HostileProfile, SecondYamlDocumentIsAnError) {
  std::string error = errorOf("format: 1\nname: p\nchecks: []\n---\nformat: 1\nname: q\n");
  EXPECT_TRUE(contains(error, "mem.yaml:5:1: a second YAML document")) << error;
}

std::string fileError(const std::string& path) {
  try {
    loadProfiles({path});
  } catch (const ProfileError& e) {
    return e.what();
  }
  return "(loaded without error)";
}

// /proc/kmsg blocked validate forever (and reading it eats the kernel log).
TEST(HostileProfile, OnlyRegularFilesAreReadAsProfiles) {
  EXPECT_TRUE(contains(fileError("/proc/kmsg"), "a file of /proc or /sys"))
      << fileError("/proc/kmsg");
  EXPECT_TRUE(contains(fileError("/proc/self/status"), "a file of /proc or /sys"));
  TempDir dir;
  std::string fifo = dir.path() + "/fifo.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(contains(fileError(fifo), "not a regular file")) << fileError(fifo);
  EXPECT_TRUE(contains(fileError("/dev/zero"), "not a regular file"));
  std::string huge = dir.write("huge.yaml", "format: 1\nname: p\n# " + std::string(17 << 20, 'x'));
  EXPECT_TRUE(contains(fileError(huge), "larger than 16 MiB")) << fileError(huge).substr(0, 200);
  std::string ok = dir.write("ok.yaml", "format: 1\nname: p\nchecks: []\n");
  EXPECT_EQ(loadProfiles({ok}).name, "p");
}

}  // namespace
}  // namespace bbcheck
