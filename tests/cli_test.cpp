// The built bbcheck, end to end: exit codes, selectors, report files, colour.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

TEST(Cli, ReadyExitsZeroNotReadyExitsOne) {
  // -v: the full listing, every check on its line.
  CommandResult ready = runBbcheck({"-p", cpuProfile(), "--no-color", "-v"});
  EXPECT_EQ(ready.exit_code, 0) << ready.out << ready.err;
  EXPECT_NE(ready.out.find("\nREADY ("), std::string::npos) << ready.out;
  // The recommended failure is shown but does not count...
  EXPECT_NE(ready.out.find("FAIL     resources.cpus-recommended"), std::string::npos) << ready.out;
  // ...at a glance too, the verdict first.
  CommandResult glance = runBbcheck({"-p", cpuProfile(), "--no-color"});
  EXPECT_EQ(glance.out.rfind("READY (", 0), 0u) << glance.out;
  EXPECT_NE(glance.out.find("  WARN    resources.cpus-recommended: "), std::string::npos)
      << glance.out;
  // ...unless --fail-on says it does.
  CommandResult strict = runBbcheck({"-p", cpuProfile(), "--fail-on", "recommended"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
  CommandResult notReady =
      runBbcheck({"run", "-p", cpuProfile(), "--set", "min=100000", "--verbose"});
  EXPECT_EQ(notReady.exit_code, 1) << notReady.out;
  EXPECT_NE(notReady.out.find("other.cpus                  needs resources.cpus, which failed"),
            std::string::npos)
      << notReady.out;
  EXPECT_NE(notReady.out.find("NOT READY: 2 required checks did not pass"), std::string::npos)
      << notReady.out;
}

TEST(Cli, UsageAndProfileErrorsExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"--frobnicate"}, "frobnicate"},
      {{"-p", cpuProfile(), "--format", "yaml"},
       "--format yaml: unknown format (text, json, junit, tap, prometheus)"},
      {{"-p", cpuProfile(), "--only", "nosuch"},
       "--only nosuch: matches no check of profile cpu-only"},
      {{"-p", cpuProfile(), "--skip", "tag:nosuch"}, "--skip tag:nosuch: matches no check"},
      {{"-p", cpuProfile(), "--set", "nosuch=1"},
       "--set nosuch: profile cpu-only has no var 'nosuch' (vars: min)"},
      {{"-p", cpuProfile(), "--set", "min"}, "--set min: expected NAME=VALUE"},
      {{"-p", cpuProfile(), "--set", "min=lots"},
       "cpu.yaml:9:18: parameter 'min' of probe cpu: expected a whole number, got 'lots'"},
      {{"-p", cpuProfile(), "--timeout", "soon"}, "--timeout soon: expected a duration"},
      {{"-p", cpuProfile(), "--deadline", "0s"}, "--deadline 0s: expected a duration"},
      {{"-p", cpuProfile(), "--jobs", "0"}, "--jobs 0: expected 1 or more"},
      {{"-p", cpuProfile(), "--fail-on", "sometimes"},
       "--fail-on sometimes: expected required, recommended or info"},
      {{"-p", cpuProfile(), "--report", "json"}, "--report json: expected FORMAT:PATH"},
      {{"-p", cpuProfile(), "--report", "json:/nonexistent-dir/r.json"},
       "directory /nonexistent-dir does not exist"},
      {{"-p", cpuProfile(), "--report", "html:/tmp/r.html"}, "--report html: unknown format"},
      {{"-p", "no-such-profile"}, "no built-in profile 'no-such-profile'"},
      {{"-p", "/nonexistent/profile.yaml"}, "cannot read profile '/nonexistent/profile.yaml'"},
      {{"validate", sourceDir() + "/tests/profiles/bad/unknown_probe.yaml"},
       "unknown probe kind 'cpux'"},
  };
  for (const auto& c : cases) {
    CommandResult r = runBbcheck(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args.back() << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos)
        << "stderr: " << r.err << "\nexpected: " << c.message;
    EXPECT_EQ(r.out, "") << "a usage error must not print a report";
  }
}

TEST(Cli, SelectorsPickChecksAndLeaveTheRestOut) {
  CommandResult onlyTag =
      runBbcheck({"-p", cpuProfile(), "--only", "tag:wishful", "--format", "tap"});
  EXPECT_EQ(onlyTag.exit_code, 0) << onlyTag.out;
  // Only the selected check is listed (the others are not "skipped").
  EXPECT_EQ(onlyTag.out.rfind("TAP version 13\n1..1\nnot ok 1 - resources.cpus-recommended", 0), 0u)
      << onlyTag.out;

  // A prefix selects a group; what a selected check needs runs too.
  CommandResult prefix = runBbcheck({"-p", cpuProfile(), "--only", "other.", "--format", "tap"});
  EXPECT_NE(prefix.out.find("ok 1 - resources.cpus - At least 1 CPUs\n"), std::string::npos)
      << prefix.out;
  EXPECT_NE(prefix.out.find("ok 2 - other.cpus - Another CPU check\n"), std::string::npos)
      << prefix.out;

  // A check --skip leaves out is not listed, and does not block what needs it:
  // other.cpus runs and passes.
  CommandResult skipped =
      runBbcheck({"-p", cpuProfile(), "--skip", "resources.cpus", "--format", "tap"});
  EXPECT_EQ(skipped.out.find("- resources.cpus -"), std::string::npos) << skipped.out;
  EXPECT_NE(skipped.out.find("ok 2 - other.cpus - Another CPU check\n"), std::string::npos)
      << skipped.out;
  EXPECT_EQ(skipped.exit_code, 0) << skipped.out;
}

TEST(Cli, ReportFilesAreWrittenBesideStdout) {
  TempDir dir;
  std::string json = dir.path() + "/report.json", junit = dir.path() + "/report.xml",
              tap = dir.path() + "/r.tap";
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--format", "json", "--report", "json:" + json,
                                "--report", "junit:" + junit, "--report", "tap:" + tap});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(schemaErrors(r.out), "");
  std::string written = readFile(json);
  EXPECT_EQ(schemaErrors(written), "");
  auto root = Poco::JSON::Parser().parse(written).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("verdict"), "ready");
  EXPECT_EQ(root->getObject("profile")->getValue<std::string>("source"), cpuProfile());
  // The failing recommended check does not count: shown as skipped, not failed.
  EXPECT_NE(readFile(junit).find("<testsuite errors=\"0\" failures=\"0\""), std::string::npos);
  EXPECT_NE(readFile(junit).find("does not count under --fail-on required"), std::string::npos);
  EXPECT_EQ(readFile(tap).rfind("TAP version 13\n1..3\n", 0), 0u);
  // Nothing but the reports is left in the directory: no temporary files.
  CommandResult ls = runCommand("ls", {"-A", dir.path()});
  EXPECT_EQ(ls.out, "r.tap\nreport.json\nreport.xml\n");
}

TEST(Cli, ColourOnlyOnATerminalAndNeverWithNoColor) {
  std::string command = bbcheckBinary() + " -p " + cpuProfile();
  // script(1) gives bbcheck a pseudo-terminal.
  CommandResult tty =
      runCommand("env", {"-u", "NO_COLOR", "TERM=xterm", "script", "-qec", command, "/dev/null"});
  EXPECT_NE(tty.out.find("\033[32m"), std::string::npos) << tty.out;
  CommandResult noColor =
      runCommand("env", {"NO_COLOR=1", "TERM=xterm", "script", "-qec", command, "/dev/null"});
  EXPECT_EQ(noColor.out.find("\033[3"), std::string::npos) << noColor.out;
  EXPECT_NE(noColor.out.find("READY"), std::string::npos);
  CommandResult flag = runCommand("env", {"-u", "NO_COLOR", "TERM=xterm", "script", "-qec",
                                          command + " --no-color", "/dev/null"});
  EXPECT_EQ(flag.out.find("\033[3"), std::string::npos) << flag.out;
  CommandResult piped = runBbcheck({"-p", cpuProfile()}, {{"NO_COLOR", ""}});
  EXPECT_EQ(piped.out.find('\033'), std::string::npos);
}

TEST(Cli, ListValidateProbesVersionHelp) {
  CommandResult list = runBbcheck({"list", "-p", cpuProfile()});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("resources.cpus-recommended  recommended  cpu"), std::string::npos)
      << list.out;
  CommandResult validate =
      runBbcheck({"validate", cpuProfile(), sourceDir() + "/tests/profiles/good/base.yaml"});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  CommandResult mixed =
      runBbcheck({"validate", cpuProfile(), sourceDir() + "/tests/profiles/bad/empty.yaml"});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.out.find("cpu.yaml: ok"), std::string::npos);
  CommandResult probes = runBbcheck({"probes"});
  EXPECT_EQ(probes.exit_code, 0);
  EXPECT_NE(probes.out.find("cpu\n    number of CPUs"), std::string::npos) << probes.out;
  CommandResult version = runBbcheck({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("bbcheck 0.", 0), 0u);
  CommandResult help = runBbcheck({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("validate"), std::string::npos);
}

}  // namespace
}  // namespace bbcheck::testing

namespace bbcheck::testing {
namespace {

TEST(Cli, InterruptReportsWhatFinishedAndExits130) {
  TempDir dir;
  // `sleep 30` stands in for a slow probe: the command probe runs it to read
  // a version.
  std::string profile = dir.write("slow.yaml", R"(format: 1
name: slow
checks:
  - id: quick
    probe: cpu
  - id: slow
    probe: command
    timeout: 60s
    needs: [quick]
    with: { name: sleep, version_args: ["37.913"], min_version: "1" }
  - id: after
    probe: cpu
    needs: [slow]
)");
  std::string report = dir.path() + "/r.json";
  std::string script = bbcheckBinary() + " -p " + profile +
                       " --format tap --report json:" + report +
                       " & pid=$!;"
                       // Interrupt once the slow probe's program runs, which is
                       // after quick finished (slow needs it): a condition, not
                       // a fixed sleep, however loaded the machine.
                       " for i in $(seq 600); do pgrep -P $pid -x sleep >/dev/null && break;"
                       " sleep 0.05; done; sent=$(date +%s%N); kill -INT $pid; wait $pid;"
                       " echo \"exit $?\"; echo \"took $((($(date +%s%N) - sent) / 1000000)) ms\"";
  CommandResult r = runCommand("sh", {"-c", script});
  // Without the interrupt the run would wait out `sleep 37.913`.
  std::smatch took;
  ASSERT_TRUE(std::regex_search(r.out, took, std::regex("took (\\d+) ms"))) << r.out << r.err;
  EXPECT_LT(std::stol(took[1].str()), 10000) << "the interrupt did not stop the run";
  EXPECT_NE(r.out.find("exit 130"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("ok 1 - quick"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok 2 - slow - slow # SKIP interrupted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# verdict: interrupted"), std::string::npos) << r.out;
  std::string json = readFile(report);
  EXPECT_EQ(schemaErrors(json), "");
  auto root = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("verdict"), "interrupted");
  // The `sleep` the probe started went with it (an argument no other test
  // uses: tests running in parallel start their own `sleep 30`s).
  CommandResult left = runCommand("sh", {"-c", "pgrep -fx 'sleep 37.913' || true"});
  EXPECT_EQ(left.out, "") << "sleep 37.913 still running";
}

}  // namespace
}  // namespace bbcheck::testing

namespace bbcheck::testing {
namespace {

TEST(Cli, ProgressLineOnATerminalNamesTheSlowestCheck) {
  TempDir dir;
  std::string profile = dir.write("slow.yaml", R"yaml(format: 1
name: slow
checks:
  - id: quick
    probe: cpu
  - id: slow.one
    probe: command
    with: { name: sleep, version_args: ["0.6"], min_version: "0" }
)yaml");
  std::string command = bbcheckBinary() + " -p " + profile;
  CommandResult tty = runCommand("env", {"TERM=xterm", "script", "-qec", command, "/dev/null"});
  EXPECT_NE(tty.out.find("waiting on slow.one ("), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("[1/2]"), std::string::npos) << tty.out;
  // The line is erased before the report: no progress text inside it.
  EXPECT_NE(tty.out.find("\r\033[K"), std::string::npos);
  CommandResult quiet =
      runCommand("env", {"TERM=xterm", "script", "-qec", command + " -q", "/dev/null"});
  EXPECT_EQ(quiet.out.find("waiting on"), std::string::npos) << quiet.out;
  CommandResult piped = runBbcheck({"-p", profile});
  EXPECT_EQ(piped.out.find("waiting on"), std::string::npos);
  EXPECT_EQ(piped.err.find("waiting on"), std::string::npos);
}

}  // namespace
}  // namespace bbcheck::testing
