// Waivers through the command line: a waived failure does not fail the run,
// every format says `waived`, an expired waiver counts again, and a waiver
// naming no check is an error.
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// resources.cpus fails with min=100000 and blocks other.cpus.
const std::string kWaivers =
    "waivers:\n"
    "  - id: resources.cpus\n"
    "    why: a small VM on purpose\n"
    "    until: 2999-12-31\n"
    "  - id: other.cpus\n"
    "    why: needs resources.cpus\n"
    "    until: 2999-12-31\n";

TEST(Waivers, AWaivedFailureDoesNotFailAndEveryFormatSaysWaived) {
  TempDir dir;
  std::string file = dir.write("waivers.yaml", kWaivers);
  std::vector<std::string> run = {"run", "-p", cpuProfile(), "--set", "min=100000", "--no-color"};
  EXPECT_EQ(runBbcheck(run).exit_code, 1);
  std::vector<std::string> waived = run;
  std::vector<std::string> more = {"--waivers", file,
                                   "--report",  "json:" + dir.path() + "/r.json",
                                   "--report",  "junit:" + dir.path() + "/r.xml",
                                   "--report",  "tap:" + dir.path() + "/r.tap",
                                   "--report",  "prometheus:" + dir.path() + "/r.prom"};
  waived.insert(waived.end(), more.begin(), more.end());
  CommandResult r = runBbcheck(waived);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "READY (0 passed, 1 failed, 0 errors, 0 blocked, 0 skipped, 2 waived"))
      << r.out;
  EXPECT_TRUE(has(r.out, "  WAIVED  resources.cpus: ")) << r.out;
  EXPECT_TRUE(has(r.out, "waived until 2999-12-31 (was fail): a small VM on purpose")) << r.out;

  std::string json = readFile(dir.path() + "/r.json");
  EXPECT_EQ(schemaErrors(json), "");
  EXPECT_TRUE(has(json, "\"status\": \"waived\"")) << json;
  EXPECT_TRUE(has(json, "\"waived_status\": \"blocked\"")) << json;
  EXPECT_TRUE(has(json, "\"waived\": 2")) << json;
  std::string junit = readFile(dir.path() + "/r.xml");
  EXPECT_TRUE(has(junit,
                  "<skipped message=\"waived until 2999-12-31 (was fail): a small VM on "
                  "purpose: "))
      << junit;
  std::string tap = readFile(dir.path() + "/r.tap");
  EXPECT_TRUE(has(tap, " # SKIP waived until 2999-12-31 (was fail): a small VM on purpose")) << tap;
  // Only the recommended failure (a TODO) is not ok; the waived ones are skips.
  EXPECT_FALSE(has(tap, "not ok 1 ")) << tap;
  EXPECT_FALSE(has(tap, "not ok 3 ")) << tap;
  EXPECT_TRUE(has(tap,
                  "ok 3 - other.cpus - Another CPU check # SKIP waived until 2999-12-31 (was "
                  "blocked)"))
      << tap;
  std::string prom = readFile(dir.path() + "/r.prom");
  EXPECT_TRUE(has(prom,
                  "bbcheck_check_status{check=\"resources.cpus\",severity=\"required\","
                  "status=\"waived\"} 1"))
      << prom;
  EXPECT_TRUE(has(prom, "bbcheck_checks{status=\"waived\"} 2")) << prom;

  // A received report keeps its waivers: show re-renders and re-judges it.
  CommandResult shown = runBbcheck({"show", dir.path() + "/r.json", "--format", "tap"});
  EXPECT_EQ(shown.exit_code, 0) << shown.out << shown.err;
  EXPECT_EQ(shown.out, tap);
}

TEST(Waivers, OneRunWaiverFromTheCommandLine) {
  CommandResult r = runBbcheck({"run", "-p", cpuProfile(), "--set", "min=100000", "--waive",
                                "resources.cpus:2999-01-01", "--waive", "other.cpus"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "waived (was blocked): waived on the command line (--waive)")) << r.out;
}

TEST(Waivers, AfterItsDateAFailureCountsAgainWithANote) {
  TempDir dir;
  std::string file = dir.write("waivers.yaml",
                               "waivers:\n"
                               "  - id: resources.cpus\n"
                               "    why: a small VM until the upgrade\n"
                               "    until: 2001-01-31\n");
  CommandResult r = runBbcheck(
      {"run", "-p", cpuProfile(), "--set", "min=100000", "--waivers", file, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(schemaErrors(r.out), "");
  EXPECT_TRUE(has(r.out, "(its waiver expired after 2001-01-31: a small VM until the upgrade)"))
      << r.out;
  EXPECT_TRUE(has(r.out, "\"expired\": true")) << r.out;
  EXPECT_TRUE(has(r.out, "\"waived\": 0")) << r.out;
  CommandResult text = runBbcheck(
      {"run", "-p", cpuProfile(), "--set", "min=100000", "--waivers", file, "--no-color"});
  EXPECT_TRUE(has(text.out, "FAIL    resources.cpus: ")) << text.out;
  EXPECT_TRUE(has(text.out, "waiver expired after 2001-01-31")) << text.out;
}

TEST(Waivers, MistakesExitTwoBeforeAnyCheckRuns) {
  TempDir dir;
  std::string unknown = dir.write("unknown.yaml",
                                  "waivers:\n"
                                  "  - id: resources.cpu\n"
                                  "    why: typo\n"
                                  "    until: 2999-01-01\n");
  CommandResult typo = runBbcheck({"run", "-p", cpuProfile(), "--waivers", unknown});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.out, "");
  EXPECT_TRUE(has(typo.err, unknown + ":2:5: waives resources.cpu, which profile cpu-only has no "
                                      "check of"))
      << typo.err;
  CommandResult flag = runBbcheck({"run", "-p", cpuProfile(), "--waive", "nothing.here"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_TRUE(has(flag.err, "--waive nothing.here: waives nothing.here")) << flag.err;
  std::string bad =
      dir.write("bad.yaml", "waivers:\n  - id: resources.cpus\n    until: 2999-01-01\n");
  CommandResult noWhy = runBbcheck({"run", "-p", cpuProfile(), "--waivers", bad});
  EXPECT_EQ(noWhy.exit_code, 2);
  EXPECT_TRUE(has(noWhy.err, bad + ":2:5: a waiver needs why")) << noWhy.err;
  CommandResult missing = runBbcheck({"run", "-p", cpuProfile(), "--waivers", dir.path() + "/no"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(has(missing.err, "cannot read the file")) << missing.err;
}

}  // namespace
}  // namespace bbcheck::testing
