#include "probes/worker/buildarea.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "probes/registry.h"
#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::kTestWorkerPassword;
using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spew(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// Replaces the first `from` in the file with `to`.
void edit(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = slurp(path);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  text.replace(at, from.size(), to);
  spew(path, text);
}

// Everything an outcome could put into a report, as one string.
std::string reportable(const Outcome& o) {
  auto text = [](const Value& v) { return v.isEmpty() ? std::string() : v.toString(); };
  return o.message + " " + text(o.observed) + " " + text(o.expected);
}

class BuildAreaProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    area_ = dir_.path() + "/area";
    testing::createWorkerArea(area_, "127.0.0.1:9020", "owner-test", kTestWorkerPassword);
    tac_ = area_ + "/buildbot.tac";
  }

  Outcome run(const std::string& aspect, int64_t keepalive = 60) {
    Params params;
    params.set("path", area_);
    params.set("aspect", aspect);
    params.set("keepalive", keepalive);
    ProbeContext ctx;
    ctx.deadline = Clock::now() + ctx.timeout;
    Outcome o = findProbe("buildarea")->run(params, ctx);
    EXPECT_EQ(reportable(o).find(kTestWorkerPassword), std::string::npos) << reportable(o);
    return o;
  }

  TempDir dir_;
  std::string area_;
  std::string tac_;
};

TEST_F(BuildAreaProbe, FreshAreaPassesTacWithItsSettings) {
  Outcome o = run("tac");
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["buildmaster_host"].toString(), "127.0.0.1");
  EXPECT_EQ(o.observed["port"].convert<int>(), 9020);
  EXPECT_EQ(o.observed["workername"].toString(), "owner-test");
  EXPECT_EQ(o.observed["keepalive"].convert<int>(), 600);
  EXPECT_EQ(o.observed["mode"].toString(), "0600");
  EXPECT_TRUE(o.observed["has_password"].convert<bool>());
  EXPECT_NE(o.message.find("owner-test connects to 127.0.0.1:9020"), std::string::npos)
      << o.message;
}

TEST_F(BuildAreaProbe, WorldReadableTacFailsWithChmod) {
  ASSERT_EQ(::chmod(tac_.c_str(), 0644), 0);
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("has mode 0644, expected 0600"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("chmod 600 " + tac_), std::string::npos) << o.message;
  EXPECT_EQ(o.observed["mode"].toString(), "0644");
}

TEST_F(BuildAreaProbe, ForeignOwnerFailsWithChown) {
  passwd* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr) << "the test needs the user nobody";
  ASSERT_EQ(::chown(tac_.c_str(), nobody->pw_uid, static_cast<gid_t>(-1)), 0)
      << "the test changes ownership: run it as root";
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  std::string me = ::getpwuid(::geteuid())->pw_name;
  EXPECT_NE(o.message.find("is owned by nobody"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("chown " + me + " " + tac_), std::string::npos) << o.message;
  EXPECT_EQ(o.observed["owner"].toString(), "nobody");
}

TEST_F(BuildAreaProbe, MissingAreaOrTacFailsWithCreateWorker) {
  ASSERT_EQ(::unlink(tac_.c_str()), 0);
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(tac_ + " does not exist"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("buildbot-worker create-worker " + area_), std::string::npos);
  EXPECT_EQ(run("keepalive").status, Status::Fail);

  area_ = dir_.path() + "/nowhere";
  o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("build area " + area_ + " does not exist"), std::string::npos);
}

TEST_F(BuildAreaProbe, TacWithoutWorkerSettingsFails) {
  spew(tac_, "from buildbot_worker.bot import Worker\nkeepalive = 60\n");
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("sets no buildmaster_host or connection_string, workername, passwd"),
            std::string::npos)
      << o.message;
}

TEST_F(BuildAreaProbe, InfoFailsWhileItHoldsTheTemplateAndPassesOnceEdited) {
  Outcome o = run("info");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(area_ + "/info/admin still holds the template text"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find(area_ + "/info/host still holds"), std::string::npos) << o.message;

  spew(area_ + "/info/admin", "Jane Doe <jane at example dot org>\n");
  o = run("info");
  EXPECT_EQ(o.status, Status::Fail);  // host is still the template
  EXPECT_EQ(o.message.find("info/admin"), std::string::npos) << o.message;

  spew(area_ + "/info/host", "Debian 12 VM, 4 vCPU, 8 GB\n");
  o = run("info");
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["admin"].toString(), "Jane Doe <jane at example dot org>");
  EXPECT_EQ(o.observed["host"].toString(), "Debian 12 VM, 4 vCPU, 8 GB");
}

TEST_F(BuildAreaProbe, InfoMissingOrEmptyFails) {
  ASSERT_EQ(::unlink((area_ + "/info/admin").c_str()), 0);
  spew(area_ + "/info/host", "\n  \n");
  Outcome o = run("info");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(area_ + "/info/admin is missing"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find(area_ + "/info/host is empty"), std::string::npos) << o.message;
}

TEST_F(BuildAreaProbe, KeepaliveOfCreateWorkerFailsUntilEdited) {
  Outcome o = run("keepalive", 60);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("keepalive is 600 s in " + tac_ + ", expected 60 s"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("`keepalive = 60`"), std::string::npos) << o.message;
  EXPECT_EQ(o.observed["keepalive"].convert<int>(), 600);
  EXPECT_EQ(o.expected["keepalive"].convert<int>(), 60);

  edit(tac_, "keepalive = 600", "keepalive = 60");
  o = run("keepalive", 60);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
}

TEST_F(BuildAreaProbe, LeftoverDirsOffFailsUntilEdited) {
  Outcome o = run("leftover");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("delete_leftover_dirs is off in " + tac_), std::string::npos)
      << o.message;
  edit(tac_, "delete_leftover_dirs = 0", "delete_leftover_dirs = 1");
  EXPECT_EQ(run("leftover").status, Status::Pass);
}

TEST_F(BuildAreaProbe, PasswordNeverReported) {
  // Every aspect, passing and failing, is checked by run() for the password.
  ASSERT_EQ(::chmod(tac_.c_str(), 0644), 0);
  for (const char* aspect : {"tac", "info", "keepalive", "leftover"}) run(aspect);
  spew(tac_, "passwd = '" + std::string(kTestWorkerPassword) + "'\n");
  for (const char* aspect : {"tac", "info", "keepalive", "leftover"}) run(aspect);
  EXPECT_NE(slurp(tac_).find(kTestWorkerPassword), std::string::npos);  // the file does hold it
}

}  // namespace
}  // namespace bbcheck
