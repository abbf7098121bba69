// The farm-side commands end to end: usage mistakes exit 2 naming what is
// wrong, and show/diff on reports of a real run (the full flow, with the
// shipped profile in a private namespace, is tests/e2e/farm_flow.sh).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

TEST(FarmCli, MistakesExitTwoNamingWhatIsWrong) {
  TempDir dir;
  std::string notJson = dir.write("notes.txt", "hello");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"-p", cpuProfile(), "--stage", "later"}, "--stage later: expected host, worker or all"},
      {{"request", "-p", cpuProfile()},
       "request: profile cpu-only names no farm request form (its onboarding: section)"},
      {{"request", "-p", cpuProfile(), "--stage", "all"}, "stage"},
      {{"show"}, "report is required"},
      {{"show", dir.path() + "/missing.json"}, "missing.json: cannot read: No such file"},
      {{"show", notJson}, "notes.txt: not a JSON object"},
      {{"show", dir.path()}, ": is a directory"},
      {{"show", notJson, "--format", "yaml"}, "--format yaml: unknown format"},
      {{"show", notJson, "--fail-on", "often"}, "--fail-on often: expected required"},
      {{"diff", notJson}, "new is required"},
      {{"diff", notJson, notJson}, "notes.txt: not a JSON object"},
  };
  for (const auto& c : cases) {
    CommandResult r = runBbcheck(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos)
        << "stderr: " << r.err << "\nexpected: " << c.message;
    EXPECT_EQ(r.out, "");
  }
}

TEST(FarmCli, ShowReJudgesAndDiffComparesRealRuns) {
  TempDir dir;
  std::string ready = dir.path() + "/ready.json", strict = dir.path() + "/strict.json";
  CommandResult run = runBbcheck({"-p", cpuProfile(), "--no-color", "--report", "json:" + ready});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  // The same text as the run printed; --fail-on recommended counts the
  // recommended failure, as `run --fail-on recommended` does.
  CommandResult shown = runBbcheck({"show", ready});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_EQ(shown.out, run.out);
  CommandResult stdinShown = runCommand("sh", {"-c", bbcheckBinary() + " show - < " + ready});
  EXPECT_EQ(stdinShown.out, run.out);
  CommandResult rejudged = runBbcheck({"show", ready, "--fail-on", "recommended"});
  EXPECT_EQ(rejudged.exit_code, 1);
  EXPECT_EQ(rejudged.out.rfind("NOT READY: 1 counted check did not pass", 0), 0u) << rejudged.out;
  CommandResult notReady =
      runBbcheck({"-p", cpuProfile(), "--set", "min=100000", "--report", "json:" + strict});
  ASSERT_EQ(notReady.exit_code, 1);
  CommandResult diff = runBbcheck({"diff", ready, strict});
  EXPECT_EQ(diff.exit_code, 1) << diff.out;
  EXPECT_NE(diff.out.find("\nRegressed (2):\n  resources.cpus  pass -> fail"), std::string::npos)
      << diff.out;
  EXPECT_NE(diff.out.find("Verdict: ready -> not_ready"), std::string::npos);
  CommandResult back = runBbcheck({"diff", strict, ready});
  EXPECT_EQ(back.exit_code, 0) << back.out;
  EXPECT_NE(back.out.find("\nFixed (2):"), std::string::npos) << back.out;
}

}  // namespace
}  // namespace bbcheck::testing
