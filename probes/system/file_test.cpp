#include "probes/system/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::runInChild;
using testing::TempDir;

const char kAdminTemplate[] = "Your Name Here <admin@youraddress.invalid>";
const uid_t kNobody = 65534;

Outcome runFile(const Params& params) {
  return fileProbe().run(params, ProbeContext{});
}

Params fileParams(const std::string& path) {
  Params params;
  params.set("path", path);
  params.set("type", std::string("any"));
  params.set("absent_ok", false);
  return params;
}

std::string writeFile(const TempDir& dir, const std::string& name, const std::string& text,
                      mode_t mode) {
  std::string path = dir.write(name, text);
  if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("chmod failed");
  return path;
}

TEST(FileMode, ParsesAndFormatsOctal) {
  unsigned mode = 0;
  EXPECT_TRUE(parseMode("0600", mode));
  EXPECT_EQ(mode, 0600u);
  EXPECT_TRUE(parseMode("755", mode));
  EXPECT_EQ(mode, 0755u);
  EXPECT_TRUE(parseMode("0o1777", mode));
  EXPECT_EQ(mode, 01777u);
  EXPECT_FALSE(parseMode("0800", mode));
  EXPECT_FALSE(parseMode("rw-r--r--", mode));
  EXPECT_FALSE(parseMode("", mode));
  EXPECT_FALSE(parseMode("17777", mode));
  EXPECT_EQ(formatMode(0644), "0644");
  EXPECT_EQ(formatMode(01777), "1777");
}

TEST(FileProbe, MatchingFilePassesAndReportsFacts) {
  TempDir dir;
  std::string tac = writeFile(dir, "buildbot.tac", "keepalive = 60\npasswd = 'sekrit'\n", 0600);
  Params params = fileParams(tac);
  params.set("type", std::string("file"));
  params.set("mode", std::string("0600"));
  params.set("owner", std::string("current"));
  params.set("matches", std::string(R"(^keepalive\s*=\s*60$)"));
  Outcome ok = runFile(params);
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_TRUE(ok.observed["exists"].convert<bool>());
  EXPECT_EQ(ok.observed["type"].toString(), "file");
  EXPECT_EQ(ok.observed["mode"].toString(), "0600");
  EXPECT_EQ(ok.observed["owner"].toString(), "root");
  EXPECT_EQ(ok.observed["size"].convert<int64_t>(), 33);
  EXPECT_EQ(ok.expected["owner"].toString(), "root");
  EXPECT_FALSE(contains(ok.message, "sekrit")) << ok.message;
}

TEST(FileProbe, EachFailedAspectIsNamed) {
  TempDir dir;
  std::string admin = writeFile(dir, "info/admin", std::string(kAdminTemplate) + "\n", 0644);
  ASSERT_EQ(::chown(admin.c_str(), kNobody, kNobody), 0);
  Params params = fileParams(admin);
  params.set("mode", std::string("0600"));
  params.set("owner", std::string("$USER"));
  params.set("differs_from", std::string(kAdminTemplate));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message,
            admin +
                ": mode 0644 (expected 0600); owned by nobody (expected root); unchanged "
                "from the template text 'Your Name Here <admin@youraddress.invalid>'");
  EXPECT_EQ(o.observed["owner"].toString(), "nobody");
}

TEST(FileProbe, TemplateTextStillPresentFails) {
  TempDir dir;
  std::string host = writeFile(
      dir, "info/host", "Please put a description of this build host here\nDebian 12\n", 0644);
  Params params = fileParams(host);
  params.set("differs_from", std::string("Please put a description of this build host here\n"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "still contains the template text 'Please put a description of"))
      << o.message;

  writeFile(dir, "info/host", "Debian 12 VM on a Ryzen 7, 8 vCPUs\n", 0644);
  Outcome edited = runFile(params);
  EXPECT_EQ(edited.status, Status::Pass) << edited.message;
  EXPECT_TRUE(contains(edited.message, "template text replaced")) << edited.message;
}

TEST(FileProbe, ContentsThatDoNotMatchFail) {
  TempDir dir;
  std::string tac = writeFile(dir, "buildbot.tac", "keepalive = 600\n", 0600);
  Params params = fileParams(tac);
  params.set("matches", std::string(R"(^keepalive\s*=\s*60$)"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message, tac + R"(: contents do not match /^keepalive\s*=\s*60$/)");
}

TEST(FileProbe, WrongTypeFails) {
  TempDir dir;
  Params params = fileParams(dir.path());
  params.set("type", std::string("file"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message, dir.path() + ": is a directory, expected a file");
  EXPECT_EQ(o.observed["type"].toString(), "directory");

  params.set("type", std::string("directory"));
  params.set("mode", std::string("0700"));  // mkdtemp's mode
  EXPECT_EQ(runFile(params).status, Status::Pass);
}

TEST(FileProbe, AbsentFailsUnlessAllowed) {
  TempDir dir;
  std::string missing = dir.path() + "/twistd.pid";
  Params params = fileParams(missing);
  params.set("type", std::string("file"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message, missing + " does not exist, expected a file");
  EXPECT_FALSE(o.observed["exists"].convert<bool>());

  params.set("absent_ok", true);
  Outcome allowed = runFile(params);
  EXPECT_EQ(allowed.status, Status::Pass) << allowed.message;
}

TEST(FileProbe, ContentsOfADirectoryCannotBeChecked) {
  TempDir dir;
  Params params = fileParams(dir.path());
  params.set("matches", std::string("x"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_TRUE(contains(o.message, "is a directory: matches/differs_from need a regular file"));
}

TEST(FileProbe, BadModeParameterIsAnError) {
  TempDir dir;
  Params params = fileParams(dir.path());
  params.set("mode", std::string("rw-------"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(o.message, "mode 'rw-------' is not octal permission bits like 0600");
}

TEST(FileProbe, UnreadableIsAnErrorNotAFailure) {
  TempDir dir;
  std::string locked = dir.path() + "/locked";
  ASSERT_EQ(::mkdir(locked.c_str(), 0700), 0);
  std::string secret = writeFile(dir, "secret", "x\n", 0600);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  auto child = runInChild([&] {
    if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) throw std::runtime_error("setuid failed");
    Outcome behindLocked = runFile(fileParams(locked + "/buildbot.tac"));
    if (behindLocked.status != Status::Error ||
        behindLocked.message != "cannot stat " + locked + "/buildbot.tac: Permission denied")
      throw std::runtime_error("stat: " + behindLocked.message);
    Params params = fileParams(secret);
    params.set("differs_from", std::string("template"));
    return runFile(params);
  });
  ASSERT_EQ(child.failure, "");
  EXPECT_EQ(child.outcome.status, Status::Error);
  EXPECT_EQ(child.outcome.message, "cannot read " + secret + ": Permission denied");
}

// A read that fails after open() (here EIO, as from a failing disk) is the
// check's error, not a comparison with nothing.
TEST(FileProbe, ReadErrorAfterOpenIsAnErrorNotAFailure) {
  std::ifstream mem("/proc/self/mem", std::ios::binary);
  char byte;
  ASSERT_TRUE(mem.is_open());
  ASSERT_FALSE(mem.read(&byte, 1)) << "ground truth: reading /proc/self/mem at 0 fails";
  Params params = fileParams("/proc/self/mem");
  params.set("matches", std::string("x"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Error) << o.message;
  EXPECT_EQ(o.message, "cannot read /proc/self/mem (after 0 bytes): Input/output error");
  params.set("matches", std::string(""));
  params.set("differs_from", std::string("template"));
  EXPECT_EQ(runFile(params).status, Status::Error);
}

// std::regex recursed per character of a 200 KB file and crashed; RE2 does not.
TEST(FileProbe, MatchesOnA200KilobyteFileIsJudgedNotACrash) {
  TempDir dir;
  std::string big = writeFile(dir, "big.txt", std::string(200 * 1024, 'a') + "\n", 0644);
  Params params = fileParams(big);
  params.set("matches", std::string("^(?:a|b)*$"));
  Outcome o = runFile(params);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  Params control = fileParams(big);
  control.set("matches", std::string("^(?:a|b)*c$"));
  Outcome no = runFile(control);
  EXPECT_EQ(no.status, Status::Fail) << no.message;
}

}  // namespace
}  // namespace bbcheck
