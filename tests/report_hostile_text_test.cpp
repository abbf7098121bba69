// Reports survive whatever the host says: a real `create-worker` build area
// whose info/admin is Latin-1 with terminal escapes in it, a program whose
// output is not UTF-8, and a profile title with control characters. Every
// format must stay what its readers expect: JSON valid UTF-8 (python3's
// strict parser and the schema), JUnit well-formed (xmllint), text and TAP
// free of control characters. The control: a clean area and output.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

struct Reports {
  CommandResult run;
  std::string json, junit, tap, text;
  std::string glance;  // the received JSON report, shown at a glance on a narrow terminal
};

Reports runAllFormats(const std::string& profile, const std::string& dir) {
  Reports reports;
  reports.run =
      runBbcheck({"-p", profile, "--format", "json", "--report", "junit:" + dir + "/r.xml",
                  "--report", "tap:" + dir + "/r.tap", "--report", "text:" + dir + "/r.txt", "-v"});
  reports.json = reports.run.out;
  reports.junit = readFile(dir + "/r.xml");
  reports.tap = readFile(dir + "/r.tap");
  reports.text = readFile(dir + "/r.txt");
  std::string json = dir + "/r.json";
  std::ofstream(json) << reports.json;
  reports.glance = runBbcheck({"show", json}, {{"COLUMNS", "30"}}).out;
  return reports;
}

std::string profileFor(const std::string& area, const std::string& program) {
  return "format: 1\n"
         "name: hostile-text\n"
         "checks:\n"
         "  - id: buildarea.info\n"
         "    title: \"info/admin \\e[2J\\a\\x9b1m describes the worker\"\n"
         "    probe: buildarea\n"
         "    with: { path: \"" +
         area +
         "\", aspect: info }\n"
         "  - id: tool.version\n"
         "    title: A tool that prints bytes\n"
         "    probe: command\n"
         "    with: { name: \"" +
         program +
         "\", min_version: \"99\" }\n"
         "    fix: \"Install it \\r\\e[1A (not really)\"\n";
}

class HostileText : public ::testing::Test {
 protected:
  void build(const std::string& admin, const std::string& toolOutput) {
    area_ = dir_.path() + "/worker";
    createWorkerArea(area_, "127.0.0.1:9989");
    dir_.write("worker/info/admin", admin);
    dir_.write("worker/info/host", "Debian 12 VM, 2 vCPUs\n");
    program_ = dir_.write("tool", "#!/bin/sh\nprintf '" + toolOutput + "'\n");
    ::chmod(program_.c_str(), 0755);
    profile_ = dir_.write("hostile.yaml", profileFor(area_, program_));
  }

  void expectAllFormatsSound(const Reports& r) {
    ASSERT_TRUE(r.run.exit_code == 0 || r.run.exit_code == 1) << r.run.err;
    EXPECT_EQ(terminalProblem(r.json), "") << r.json;
    EXPECT_EQ(schemaErrors(r.json), "") << r.json;
    std::string xml = dir_.write("check.xml", r.junit);
    CommandResult lint = runCommand("xmllint", {"--noout", xml});
    EXPECT_EQ(lint.exit_code, 0) << lint.err << r.junit;
    // Complete: both checks are there.
    EXPECT_NE(r.junit.find("name=\"tool.version\""), std::string::npos) << r.junit;
    EXPECT_NE(r.junit.find("</testsuites>"), std::string::npos) << r.junit;
    EXPECT_EQ(terminalProblem(r.junit), "") << r.junit;
    EXPECT_EQ(terminalProblem(r.tap), "") << r.tap;
    EXPECT_NE(r.tap.find("1..2"), std::string::npos) << r.tap;
    EXPECT_EQ(terminalProblem(r.text), "") << r.text;
    EXPECT_EQ(terminalProblem(r.glance), "") << r.glance;
    EXPECT_NE(r.glance.find("tool.version"), std::string::npos) << r.glance;
  }

  TempDir dir_;
  std::string area_, program_, profile_;
};

TEST_F(HostileText, Latin1InfoAdminAndBinaryOutputKeepEveryFormatSound) {
  // printf(1) escapes: \351 is Latin-1 e-acute, \033 ESC, \233 a raw C1 CSI.
  build("Jos\xe9 M\xfcller \x1b[31mred\x1b[0m <jose@example.invalid>\n",
        "tool 1.\\351\\033]0;pwned\\007\\233 \\r2\\n");
  Reports r = runAllFormats(profile_, dir_.path());
  expectAllFormatsSound(r);
  // The info file is judged (not UTF-8, at which byte), and the host's bytes
  // that do reach the report (the title's and the tool's) are shown as
  // escapes, not dropped.
  EXPECT_NE(r.text.find("byte offset 3 (byte 0xE9)"), std::string::npos) << r.text;
  EXPECT_NE(r.junit.find("byte offset 3 (byte 0xE9)"), std::string::npos) << r.junit;
  EXPECT_NE(r.json.find("\\\\x1b[2J"), std::string::npos) << r.json;
  EXPECT_NE(r.text.find("\\x1b[2J"), std::string::npos) << r.text;
  EXPECT_NE(r.junit.find("1.\\xe9\\x1b]0;pwned"), std::string::npos) << r.junit;
}

TEST_F(HostileText, ControlCleanTextIsShownUnchanged) {
  build("Jos\xc3\xa9 M\xc3\xbcller <jose@example.invalid>\n", "tool 1.2\\n");
  Reports r = runAllFormats(profile_, dir_.path());
  expectAllFormatsSound(r);
  EXPECT_NE(r.text.find("Jos\xc3\xa9 M\xc3\xbcller"), std::string::npos) << r.text;
  EXPECT_NE(r.json.find("Jos\xc3\xa9 M\xc3\xbcller"), std::string::npos) << r.json;
}

}  // namespace
}  // namespace bbcheck::testing
