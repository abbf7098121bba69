// What the command line prints and reads, end to end with the built bbcheck:
// a profile on standard input (-p -), -q and -v, and --only.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "probes/text.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

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

// The lines of `text` that start with `prefix`.
int linesStartingWith(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    if (text.compare(at, prefix.size(), prefix) == 0) ++n;
    at = end + 1;
  }
  return n;
}

TEST(CliQuietVerbose, QuietPrintsTheVerdictLineOnly) {
  CommandResult ready = runBbcheck({"-p", cpuProfile(), "-q"});
  EXPECT_EQ(ready.exit_code, 0) << ready.out;
  EXPECT_EQ(ready.out.rfind("READY (", 0), 0u) << ready.out;
  EXPECT_EQ(ready.out.find('\n'), ready.out.size() - 1) << "more than one line:\n" << ready.out;

  CommandResult notReady = runBbcheck({"-p", cpuProfile(), "--set", "min=100000", "--quiet"});
  EXPECT_EQ(notReady.exit_code, 1);
  EXPECT_EQ(notReady.out.rfind("NOT READY: 2 required checks did not pass (", 0), 0u)
      << notReady.out;
  EXPECT_EQ(notReady.out.find('\n'), notReady.out.size() - 1) << notReady.out;

  // With -v, the checks and what to fix are there.
  CommandResult full = runBbcheck({"-p", cpuProfile(), "--set", "min=100000", "-v"});
  EXPECT_TRUE(contains(full.out, "\nTo fix (3):\n")) << full.out;
  EXPECT_TRUE(contains(full.out, "      fix:  Add CPUs.\n")) << full.out;
  EXPECT_EQ(linesStartingWith(full.out, "  FAIL     "), 2) << full.out;  // the check lines
  // At a glance, each problem once with its fix, the blocked check under it.
  CommandResult glance = runBbcheck({"-p", cpuProfile(), "--set", "min=100000"});
  EXPECT_TRUE(contains(glance.out, "\nTo fix (2):\n")) << glance.out;
  EXPECT_TRUE(contains(glance.out,
                       "          fix: Add CPUs.\n"
                       "          1 check could not run because of it: other.cpus\n"))
      << glance.out;
  EXPECT_EQ(linesStartingWith(glance.out, "  FAIL    resources.cpus: "), 1) << glance.out;
  EXPECT_EQ(linesStartingWith(glance.out, "  WARN    resources.cpus-recommended: "), 1)
      << glance.out;
}

// `--only resources.` judges two checks of three: its verdict says so, ready
// or not (it is no verdict on the whole host).
TEST(CliQuietVerbose, PartialSelectionsVerdictCoversTheSelectedChecksOnly) {
  CommandResult ready = runBbcheck({"-p", cpuProfile(), "--only", "resources.", "-q"});
  EXPECT_EQ(ready.exit_code, 0) << ready.out;
  EXPECT_EQ(ready.out.rfind("READY in the 2 selected checks only (", 0), 0u) << ready.out;
  EXPECT_TRUE(contains(ready.out, ", 1 not selected in ")) << ready.out;
  CommandResult notReady =
      runBbcheck({"-p", cpuProfile(), "--only", "resources.cpus", "--set", "min=100000", "-q"});
  EXPECT_EQ(notReady.exit_code, 1) << notReady.out;
  EXPECT_EQ(notReady.out.rfind(
                "NOT READY in the 1 selected check only: 1 required check did not pass (", 0),
            0u)
      << notReady.out;
}

TEST(CliQuietVerbose, VerboseShowsWhyAndFixForPassingChecksToo) {
  // resources.cpus passes (min 1): its fix shows only with -v.
  CommandResult plain = runBbcheck({"-p", cpuProfile(), "--only", "resources.cpus"});
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_FALSE(contains(plain.out, "Add CPUs.")) << plain.out;
  CommandResult verbose = runBbcheck({"-p", cpuProfile(), "--only", "resources.cpus", "-v"});
  EXPECT_EQ(verbose.exit_code, 0) << verbose.out;
  EXPECT_TRUE(contains(verbose.out, "  PASS     resources.cpus")) << verbose.out;
  EXPECT_TRUE(contains(verbose.out, "           fix:      Add CPUs.\n")) << verbose.out;
  EXPECT_TRUE(contains(verbose.out, "           observed: {\"")) << verbose.out;
  EXPECT_TRUE(contains(verbose.out, "           expected: {\"min\":1}")) << verbose.out;
}

TEST(CliOnly, DeselectedChecksAreNotListedInTextJunitOrTap) {
  TempDir dir;
  std::string json = dir.path() + "/r.json", junit = dir.path() + "/r.xml";
  // other.cpus needs resources.cpus, which comes with it; the recommended
  // check is left out.
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--only", "other.", "--no-color", "--report",
                                "json:" + json, "--report", "junit:" + junit});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "\n  ok      resources: ")) << r.out;
  EXPECT_TRUE(contains(r.out, "\n  ok      other: ")) << r.out;
  EXPECT_FALSE(contains(r.out, "resources.cpus-recommended")) << r.out;
  EXPECT_TRUE(contains(r.out, "0 skipped, 1 not selected in ")) << r.out;
  // -v lists each selected check, and only those (the received report's -v,
  // as the run's; a report carries no fix for a passing check).
  std::string listing = runBbcheck({"show", json, "--no-color", "-v"}).out;
  EXPECT_TRUE(contains(listing, "  PASS     other.cpus")) << listing;
  EXPECT_TRUE(contains(listing, "  PASS     resources.cpus")) << listing;
  EXPECT_FALSE(contains(listing, "resources.cpus-recommended")) << listing;
  EXPECT_FALSE(contains(listing, "SKIP")) << listing;

  std::string xml = readFile(junit);
  EXPECT_FALSE(contains(xml, "resources.cpus-recommended")) << xml;
  EXPECT_TRUE(contains(xml,
                       "<testsuites errors=\"0\" failures=\"0\" name=\"bbcheck cpu-only\" "
                       "skipped=\"0\" tests=\"2\""))
      << xml;

  CommandResult tap = runBbcheck({"-p", cpuProfile(), "--only", "other.", "--format", "tap"});
  EXPECT_EQ(tap.out.rfind("TAP version 13\n1..2\n", 0), 0u) << tap.out;
  EXPECT_FALSE(contains(tap.out, "resources.cpus-recommended")) << tap.out;

  // JSON keeps every check; the one left out says so, and the schema agrees.
  std::string report = readFile(json);
  EXPECT_EQ(schemaErrors(report), "");
  auto checks = parsed(report)->getArray("checks");
  ASSERT_EQ(checks->size(), 3u);
  auto left = checks->getObject(1);
  EXPECT_EQ(left->getValue<std::string>("id"), "resources.cpus-recommended");
  EXPECT_EQ(left->getValue<std::string>("status"), "skip");
  EXPECT_FALSE(left->getValue<bool>("selected"));
  EXPECT_FALSE(checks->getObject(0)->has("selected"));
  // A received report renders as the run did.
  CommandResult shown = runBbcheck({"show", json, "--no-color"});
  EXPECT_EQ(shown.out, r.out);
}

TEST(CliOnly, ARunInWhichNothingWasCheckedIsNotReady) {
  TempDir dir;
  std::string json = dir.path() + "/r.json";
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--only", "resources.cpus-recommended",
                                "--skip", "tag:wishful", "--no-color", "--report", "json:" + json});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out,
                       "NOT READY: nothing was checked (0 passed, 0 failed, 0 errors, 0 "
                       "blocked, 0 skipped, 3 not selected in "))
      << r.out;
  EXPECT_EQ(parsed(readFile(json))->getValue<std::string>("verdict"), "not_ready");
  CommandResult quiet = runBbcheck(
      {"-p", cpuProfile(), "--only", "resources.cpus-recommended", "--skip", "tag:wishful", "-q"});
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_EQ(quiet.out.rfind("NOT READY: nothing was checked (", 0), 0u) << quiet.out;
}

}  // namespace
}  // namespace bbcheck::testing
