#include "probes/worker/buildarea.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "probes/buildbot/tac_syntax.h"
#include "probes/utf8_text.h"
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

// A build area made by `buildbot-worker create-worker` run as a real
// unprivileged user, in that user's home, judged by bbcheck running as root
// (the probe takes the area's owner as the worker's user).
class BuildAreaProbe : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      user_ = std::make_unique<testing::ThrowawayUser>(testing::workerAccount());
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { user_.reset(); }

  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "BuildAreaProbe needs root (useradd, runuser)";
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    static int n = 0;
    area_ = fmt::format("{}/area{}", user_->home(), n++);
    testing::createWorkerAreaAs(user_->name(), area_, "127.0.0.1:9020", "owner-test",
                                kTestWorkerPassword);
    tac_ = area_ + "/buildbot.tac";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(area_, ec);
  }

  Outcome run(const std::string& aspect, int64_t keepalive = 60) {
    Params params;
    params.set("path", area_);
    params.set("aspect", aspect);
    params.set("keepalive", keepalive);
    ProbeContext ctx;
    ctx.deadline = Clock::now() + std::chrono::seconds(10);
    Outcome o = buildareaProbe().run(params, ctx);
    EXPECT_EQ(reportable(o).find(kTestWorkerPassword), std::string::npos) << reportable(o);
    EXPECT_EQ(firstInvalidUtf8(reportable(o)), std::string::npos) << "raw bytes in the outcome";
    return o;
  }

  // The worker's own verdict: `buildbot-worker start --nodaemon` as the
  // user loads buildbot.tac and stops at once when it refuses it.
  testing::CommandResult startAsWorker() {
    return testing::runCommand(
        "runuser", {"-u", user_->name(), "--", "buildbot-worker", "start", "--nodaemon", area_},
        30);
  }

  static std::unique_ptr<testing::ThrowawayUser> user_;
  static std::string setup_error_;
  std::string area_;
  std::string tac_;
};

std::unique_ptr<testing::ThrowawayUser> BuildAreaProbe::user_;
std::string BuildAreaProbe::setup_error_;

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
  ASSERT_EQ(::chmod(tac_.c_str(), 0644), 0);  // home 0755, area 0755: anyone gets there
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("has mode 0644 and any other user can read it"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("chmod 600 " + tac_), std::string::npos) << o.message;
  EXPECT_EQ(o.observed["mode"].toString(), "0644");
}

TEST_F(BuildAreaProbe, ForeignOwnerFailsWithChownToTheWorkersUser) {
  passwd* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr) << "the test needs the user nobody";
  ASSERT_EQ(::chown(tac_.c_str(), nobody->pw_uid, static_cast<gid_t>(-1)), 0);
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("is owned by nobody, not by the worker's user " + user_->name()),
            std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("chown " + user_->name() + " " + tac_), std::string::npos) << o.message;
  EXPECT_EQ(o.message.find("chown root"), std::string::npos) << o.message;
  EXPECT_EQ(o.observed["owner"].toString(), "nobody");
}

TEST_F(BuildAreaProbe, MissingAreaOrTacFailsWithCreateWorker) {
  ASSERT_EQ(::unlink(tac_.c_str()), 0);
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(tac_ + " does not exist"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("buildbot-worker create-worker " + area_), std::string::npos);
  EXPECT_EQ(run("keepalive").status, Status::Fail);

  area_ = user_->home() + "/nowhere";
  o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("build area " + area_ + " does not exist"), std::string::npos);
}

TEST_F(BuildAreaProbe, TacWithoutWorkerSettingsFails) {
  spew(tac_, "from buildbot_worker.bot import Worker\nkeepalive = 60\n");
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("buildbot-worker refuses to start: \"unexpected content in"),
            std::string::npos)
      << o.message;
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

// --- buildbot.tac as the worker loads it -------------------------------------

TEST_F(BuildAreaProbe, SyntaxErrorFailsWithLineAndColumnAsTheWorkerDoes) {
  ASSERT_EQ(run("tac").status, Status::Pass);  // the control: as created
  edit(tac_, "keepalive = 600", "keepalive = 600 +");
  testing::CommandResult worker = startAsWorker();
  ASSERT_NE(worker.exit_code, 0) << "ground truth: the worker should refuse a syntax error";
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(tac_ + ", line 31, column"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("invalid syntax"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("/usr/bin/python3"), std::string::npos) << o.message;
  EXPECT_FALSE(o.observed["compiles"].convert<bool>());
  // The literal reader alone still finds every setting: only Python tells.
  EXPECT_EQ(o.observed["workername"].toString(), "owner-test");
}

TEST_F(BuildAreaProbe, SyntaxErrorInThePasswordLineNeverQuotesIt) {
  // Python's message can quote one character of the bad line: here a
  // character of the password ("invalid character '\u20ac' (U+20AC)").
  std::string line = "passwd = '" + std::string(kTestWorkerPassword) + "'";
  ASSERT_NE(slurp(tac_).find(line), std::string::npos);
  edit(tac_, line, "passwd = s3cr\u20ac" + std::string(kTestWorkerPassword));
  testing::CommandResult worker = startAsWorker();
  ASSERT_NE(worker.exit_code, 0) << "ground truth: the worker should refuse a syntax error";
  Outcome o = run("tac");  // run() also fails the test if the message holds the password
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("invalid character '***'"), std::string::npos) << o.message;
  EXPECT_EQ(o.message.find("\u20ac"), std::string::npos) << o.message;
}

TEST(MaskPasswordFragments, MasksOnlyQuotedFragmentsOfThePassword) {
  EXPECT_EQ(maskPasswordFragments("invalid character '\u20ac' (U+20AC)", "s\u20acret"),
            "invalid character '***' (U+20AC)");
  EXPECT_EQ(maskPasswordFragments("f-string: expecting '}'", "'plain'"), "f-string: expecting '}'");
  EXPECT_EQ(maskPasswordFragments("unterminated 'x", "x"), "unterminated 'x");
  EXPECT_EQ(maskPasswordFragments("'a' and 'b'", ""), "'a' and 'b'");
}

TEST_F(BuildAreaProbe, ConnectionStringWithHostFailsWithTheWorkersReason) {
  std::string text = slurp(tac_);
  edit(tac_, "protocol = 'pb'\n",
       "protocol = 'pb'\nconnection_string = 'tcp:host=127.0.0.1:port=9020'\n");
  edit(tac_, "proxy_connection_string=proxy_connection_string)",
       "proxy_connection_string=proxy_connection_string,\n"
       "           connection_string=connection_string)");
  testing::CommandResult worker = startAsWorker();
  ASSERT_NE(worker.exit_code, 0) << "ground truth: the worker should refuse this tac";
  std::string log = slurp(area_ + "/twistd.log") + worker.out + worker.err;
  ASSERT_NE(log.find("If you want to supply a connection string, then set host and port to None"),
            std::string::npos)
      << log;
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("\"If you want to supply a connection string, then set host and port "
                           "to None\""),
            std::string::npos)
      << o.message;

  // The control: host and port None, as the worker asks.
  edit(tac_, "buildmaster_host = '127.0.0.1'", "buildmaster_host = None");
  edit(tac_, "port = 9020", "port = None");
  o = run("tac");
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_NE(o.message.find("connects to 127.0.0.1:9020"), std::string::npos) << o.message;
}

TEST_F(BuildAreaProbe, UnknownProtocolFailsWithTheWorkersReason) {
  edit(tac_, "protocol = 'pb'", "protocol = 'pbx'");
  Outcome o = run("tac");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("\"Unknown protocol pbx\""), std::string::npos) << o.message;
}

TEST_F(BuildAreaProbe, ReadableTacInsideAClosedHomeIsSafeAndSaysWhy) {
  ASSERT_EQ(::chmod(tac_.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(user_->home().c_str(), 0700), 0);
  Outcome o = run("tac");
  ASSERT_EQ(::chmod(user_->home().c_str(), 0755), 0);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_NE(o.message.find("mode 0644 but no other user can reach it: " + user_->home() +
                           " (mode 0700, owner " + user_->name() + ")"),
            std::string::npos)
      << o.message;
  // The same file with the home open again is readable by everyone: fail.
  EXPECT_EQ(run("tac").status, Status::Fail);
}

// --- ownership ------------------------------------------------------------------

TEST_F(BuildAreaProbe, RootOwnedLeftoversFailListingThemWithChownToTheUser) {
  Outcome o = run("ownership");
  ASSERT_EQ(o.status, Status::Pass) << o.message;  // the control: fresh area
  EXPECT_NE(o.message.find("writable by " + user_->name()), std::string::npos) << o.message;

  // What a worker started once as root leaves behind.
  spew(area_ + "/twistd.log", "root was here\n");
  spew(area_ + "/twistd.hostname", "host\n");
  std::filesystem::create_directories(area_ + "/3.x.owner-test/build");
  testing::CommandResult worker = startAsWorker();
  ASSERT_NE(worker.exit_code, 0) << "ground truth: the worker cannot open a root-owned twistd.log";
  o = run("ownership");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find("4 of "), std::string::npos) << o.message;
  EXPECT_NE(o.message.find(area_ + "/twistd.log (root, mode 0644)"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find(area_ + "/3.x.owner-test (root, mode 0755)"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("as root, run `chown -R " + user_->name() + " " + area_ + "`"),
            std::string::npos)
      << o.message;
  EXPECT_EQ(o.observed["not_writable"].convert<int>(), 4);
  EXPECT_TRUE(o.observed["complete"].convert<bool>());

  // Following the fix makes it pass, and the worker can load its tac again.
  testing::CommandResult chown = testing::runCommand("chown", {"-R", user_->name(), area_});
  ASSERT_EQ(chown.exit_code, 0) << chown.err;
  o = run("ownership");
  EXPECT_EQ(o.status, Status::Pass) << o.message;
}

TEST_F(BuildAreaProbe, OwnershipListIsBoundedAndCounted) {
  for (int i = 0; i < 25; ++i) spew(fmt::format("{}/leftover{:02}", area_, i), "x");
  Outcome o = run("ownership");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.observed["not_writable"].convert<int>(), 25);
  EXPECT_EQ(o.observed["paths"].size(), 10u);
  EXPECT_NE(o.message.find(" and 15 more"), std::string::npos) << o.message;
}

// --- info/ ----------------------------------------------------------------------

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST_F(BuildAreaProbe, InfoFilesMustAllBeUtf8) {
  writeBytes(area_ + "/info/admin", "Zo\xc3\xab Volunteer <zoe at example dot org>\n");
  writeBytes(area_ + "/info/host", "Debian 12 VM\n");
  Outcome o = run("info");
  ASSERT_EQ(o.status, Status::Pass) << o.message;  // the control: UTF-8 with a non-ASCII name

  writeBytes(area_ + "/info/admin", "Zo\xeb Volunteer <zoe at example dot org>\n");  // Latin-1
  o = run("info");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(area_ + "/info/admin is not valid UTF-8 at byte offset 2 (byte 0xEB)"),
            std::string::npos)
      << o.message;
  EXPECT_EQ(o.observed["admin"].toString(), "Zo\\xeb Volunteer <zoe at example dot org>");

  writeBytes(area_ + "/info/admin", "Zo\xc3\xab\n");
  writeBytes(area_ + "/info/admin~", "Your Name Here\nZo\xeb\n");  // an editor's backup
  writeBytes(area_ + "/info/.admin.swp", std::string("b0VIM 9.0\0\0\xff\xfe", 13));
  o = run("info");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(area_ + "/info/admin~ is not valid UTF-8 at byte offset 17"),
            std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find(area_ + "/info/.admin.swp is not valid UTF-8 at byte offset 11"),
            std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("`rm " + area_ + "/info/admin~`"), std::string::npos) << o.message;
}

TEST_F(BuildAreaProbe, InfoFileTheWorkerCannotReadFails) {
  writeBytes(area_ + "/info/admin", "Jane\n");
  writeBytes(area_ + "/info/host", "VM\n");
  writeBytes(area_ + "/info/notes", "x\n");
  ASSERT_EQ(::chown((area_ + "/info/notes").c_str(), 0, 0), 0);
  ASSERT_EQ(::chmod((area_ + "/info/notes").c_str(), 0600), 0);
  Outcome o = run("info");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_NE(o.message.find(user_->name() + " cannot read " + area_ + "/info/notes"),
            std::string::npos)
      << o.message;
}

}  // namespace
}  // namespace bbcheck
