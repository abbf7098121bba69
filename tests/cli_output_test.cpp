// What the command line prints and reads, end to end with the built bbcheck:
// a profile on standard input (-p -).
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

std::string cpuProfile() {
  return sourceDir() + "/tests/profiles/good/cpu.yaml";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// bbcheck ARGS... < FILE, through sh (runBbcheck gives no standard input).
CommandResult withStdin(const std::string& file, const std::string& args) {
  return runCommand("sh", {"-c", bbcheckBinary() + " " + args + " < '" + file + "'"});
}

Poco::JSON::Object::Ptr parsed(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

TEST(CliStdin, DashReadsTheProfileFromStandardInput) {
  CommandResult run = withStdin(cpuProfile(), "run -p - --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto root = parsed(run.out);
  EXPECT_EQ(root->getObject("profile")->getValue<std::string>("name"), "cpu-only");
  EXPECT_EQ(root->getObject("profile")->getValue<std::string>("source"), "<stdin>");
  EXPECT_EQ(schemaErrors(run.out), "");

  // --set reaches the profile read from standard input.
  CommandResult strict = withStdin(cpuProfile(), "-p - --set min=100000 --no-color");
  EXPECT_EQ(strict.exit_code, 1) << strict.out << strict.err;
  EXPECT_TRUE(contains(strict.out, "profile cpu-only")) << strict.out;

  CommandResult validate = withStdin(cpuProfile(), "validate -");
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_EQ(validate.out, "<stdin>: ok, profile cpu-only with 3 checks\n");

  CommandResult list = withStdin(cpuProfile(), "list -p -");
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(contains(list.out, "resources.cpus-recommended")) << list.out;
}

TEST(CliStdin, MistakesInAProfileFromStandardInputNameStdin) {
  // Line 6, column 12 of the file is where the unknown kind is written.
  std::string bad = sourceDir() + "/tests/profiles/bad/unknown_probe.yaml";
  for (const char* args : {"validate -", "run -p -"}) {
    CommandResult r = withStdin(bad, args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out << r.err;
    EXPECT_TRUE(contains(r.err, "bbcheck: <stdin>:6:12: unknown probe kind 'cpux'")) << args << "\n"
                                                                                     << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
  // Nothing on standard input is an empty profile, said as such.
  CommandResult empty = withStdin("/dev/null", "run -p -");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_TRUE(contains(empty.err, "<stdin>:1:1: the profile is empty")) << empty.err;
}

TEST(CliStdin, RelativeExtendsFromStandardInputStartInTheWorkingDirectory) {
  TempDir dir;
  dir.write("parent.yaml", R"(format: 1
name: parent
checks:
  - id: parent.cpus
    probe: cpu
)");
  dir.write("child.txt", R"(format: 1
name: child
extends: [parent.yaml]
checks:
  - id: child.cpus
    probe: cpu
)");
  CommandResult r = runCommand(
      "sh", {"-c", "cd '" + dir.path() + "' && " + bbcheckBinary() + " list -p - < child.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "parent.cpus")) << r.out;
  EXPECT_TRUE(contains(r.out, "child.cpus")) << r.out;
}

}  // namespace
}  // namespace bbcheck::testing
