// One text boundary (DESIGN.md, "Reports"): whatever a received report or
// the host says, show, diff and run print valid UTF-8 without C0 or C1
// controls, and nothing from outside starts a line of its own where one line
// is expected (a planted "READY" line). Hostile reports are built here from a
// real run's report, every free-text field carrying the payload; the host is
// made hostile for real in private UTS and mount namespaces (a host name with
// a line break, an os-release NAME with Latin-1 and C1 bytes). The control:
// the clean report shows as before.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

constexpr const char* kPlanted = "READY planted";

// Appends the payload to every string of a report the reader treats as free
// text (enumerations, ids and times must stay what the schema says).
std::string hostileCopy(const std::string& reportJson, const std::string& dir) {
  std::string in = dir + "/clean.json";
  std::ofstream(in) << reportJson;
  CommandResult r = runCommand(
      "python3",
      {"-c",
       "import json, sys\n"
       "keep = {'schema', 'status', 'severity', 'stage', 'verdict', 'fail_on', 'interrupted_by',\n"
       "        'started_at', 'sha256', 'id', 'language', 'id_suffix', 'needs'}\n"
       "payload = '\\u009b31m\\u001b[2J\\r\\nREADY planted\\n\\u0085\\u0007 '\n"
       "def walk(v, key, path):\n"
       "    if isinstance(v, dict):\n"
       "        return {k: walk(x, k, path + [k]) for k, x in v.items()}\n"
       "    if isinstance(v, list):\n"
       "        return [walk(x, key, path) for x in v]\n"
       "    if isinstance(v, str) and key not in keep and path != ['tool', 'name']:\n"
       "        return v + payload\n"
       "    return v\n"
       "r = walk(json.load(open(sys.argv[1])), None, [])\n"
       "print(json.dumps(r, indent=2))\n",
       in});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::string joinedArgs(const std::vector<std::string>& args) {
  std::string out = "bbcheck";
  for (const auto& a : args) out += " " + a;
  return out;
}

// JUnit keeps a message's line breaks inside its XML text (a report's prose
// may run over lines), so only there may the payload's line start a line.
void expectClean(const CommandResult& r, const std::string& what, bool prose = false) {
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << what << ": " << r.err;
  EXPECT_EQ(terminalProblem(r.out), "") << what << ":\n" << r.out;
  if (!prose)
    EXPECT_EQ(r.out.find(std::string("\n") + kPlanted), std::string::npos)
        << what << ": a line planted by the report:\n"
        << r.out;
  EXPECT_EQ(terminalProblem(r.err), "") << what << ":\n" << r.err;
}

TEST(ReceivedText, EveryFieldHostileEveryRenderingClean) {
  TempDir dir;
  CommandResult run = runBbcheck({"-p", cpuProfile(), "--format", "json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string clean = dir.write("clean.json", run.out);
  std::string hostile = dir.write("hostile.json", hostileCopy(run.out, dir.path()));
  ASSERT_NE(readFile(hostile).find("READY planted"), std::string::npos);
  // The reader takes it: it is a well-formed report, only its text is hostile.
  CommandResult json = runBbcheck({"show", hostile, "--format", "json"});
  expectClean(json, "show --format json");
  EXPECT_EQ(schemaErrors(json.out), "") << json.out;
  EXPECT_NE(json.out.find("\\\\u009b31m"), std::string::npos) << "shown as an escape";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"show", hostile},
                                               {"show", hostile, "-v"},
                                               {"show", hostile, "-q"},
                                               {"show", hostile, "--format", "tap"},
                                               {"show", hostile, "--format", "junit"},
                                               {"show", hostile, "--format", "prometheus"},
                                               {"diff", clean, hostile},
                                               {"diff", hostile, clean}})
    expectClean(runBbcheck(args, {{"COLUMNS", "60"}}), joinedArgs(args), args.back() == "junit");
  // What show writes as JSON, show reads again.
  std::string again = dir.write("again.json", json.out);
  expectClean(runBbcheck({"show", again}), "show of show's JSON");
  // The control: the clean report.
  CommandResult control = runBbcheck({"show", clean, "-v"});
  EXPECT_EQ(control.exit_code, 0) << control.err;
  EXPECT_NE(control.out.find("READY"), std::string::npos) << control.out;
}

// A real host with a line break in its name and an os-release NAME that is
// Latin-1 with a C1 CSI: run's own reports stay clean, its JSON is valid
// UTF-8 that show accepts.
TEST(ReceivedText, HostileHostFactsReachNoOutputRaw) {
  TempDir dir;
  dir.write("os-release",
            "NAME=\"Deb\xe9ian \xc2\x9b"
            "31m\"\nID=debian\nVERSION_ID=\"12\"\n");
  std::string script = dir.write("inside.sh", R"(set -e
mount --make-rprivate /
mount --bind "$OUT/os-release" /etc/os-release
python3 -c 'import socket; socket.sethostname(b"bad\nREADY planted\x1b[2J")'
set +e
"$BBCHECK" -p "$PROFILE" --format json --report "text:$OUT/run.txt" --report "tap:$OUT/run.tap" > "$OUT/run.json"
echo "run=$?" > "$OUT/exit.txt"
"$BBCHECK" -p "$PROFILE" -v --no-color > "$OUT/run-v.txt"
)");
  // A farm form, so that the report carries the form's answers (the
  // operating system among them) made from the host's facts.
  std::string profile = dir.write("farm.yaml",
                                  "format: 1\nname: hostile-host\n"
                                  "onboarding:\n  form: https://example.invalid/new\n"
                                  "checks:\n  - {id: resources.cpus, title: A CPU, probe: cpu}\n");
  CommandResult r = runCommand("env", {"BBCHECK=" + bbcheckBinary(), "PROFILE=" + profile,
                                       "OUT=" + dir.path(), "unshare", "-u", "-m", "sh", script});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(readFile(dir.path() + "/exit.txt"), "run=0\n");
  std::string json = readFile(dir.path() + "/run.json");
  EXPECT_EQ(terminalProblem(json), "") << json;
  EXPECT_EQ(schemaErrors(json), "") << json;
  EXPECT_NE(json.find("Deb\\\\xe9ian \\\\u009b31m"), std::string::npos) << json;
  for (const char* file : {"run.txt", "run.tap", "run-v.txt"}) {
    std::string text = readFile(dir.path() + "/" + file);
    EXPECT_EQ(terminalProblem(text), "") << file << ":\n" << text;
    EXPECT_EQ(text.find(std::string("\n") + kPlanted), std::string::npos) << file << ":\n" << text;
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"show", dir.path() + "/run.json"},
        {"show", dir.path() + "/run.json", "-v"}})
    expectClean(runBbcheck(args), joinedArgs(args));
}

}  // namespace
}  // namespace bbcheck::testing
