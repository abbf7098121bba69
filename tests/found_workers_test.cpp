// Needs root: a private PID and mount namespace (unshare) with its own
// /var/lib/buildbot, crontab spool and /proc.
//
// A worker that exists is checked wherever the profile's buildarea var
// points (issue 21, "Find the workers"): the built bbcheck, run as a user
// runs it (HOME with no ~/buildarea), on a host whose only worker is Debian's
// /var/lib/buildbot/workers/x; beside the same host with no worker there.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "probes/text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using JsonObject = Poco::JSON::Object;
using testing::CommandResult;
using testing::TempDir;

constexpr const char* kTac =
    "from buildbot_worker.bot import Worker\n"
    "buildmaster_host = '127.0.0.1'\nport = 9989\nworkername = 'w'\npasswd = 'pw'\n";

// Runs bbcheck in the namespace with `workers` (names) under a private
// /var/lib/buildbot/workers, each holding a buildbot.tac; returns the JSON.
std::string runWithDebianWorkers(const std::vector<std::string>& workers) {
  if (!std::filesystem::is_directory("/var/lib/buildbot")) return "";
  TempDir dir;
  dir.write("tac", kTac);
  std::filesystem::create_directories(dir.path() + "/home");
  std::string script = dir.write("run.sh", R"SH(set -e
d=$1 bbcheck=$2
shift 2
mount -t tmpfs bbcheck-buildbot /var/lib/buildbot
mkdir -p /var/lib/buildbot/workers
mount -t tmpfs bbcheck-spool /var/spool/cron/crontabs
for w in "$@"; do
  mkdir -p "/var/lib/buildbot/workers/$w"
  cp "$d/tac" "/var/lib/buildbot/workers/$w/buildbot.tac"
done
HOME="$d/home" "$bbcheck" run -p buildbot-worker --only buildarea. --format json --no-color \
  > "$d/out.json" || true
)SH");
  std::vector<std::string> args = {
      "--pid",   "--fork", "--mount-proc", "--mount",  "--propagation",
      "private", "sh",     script,         dir.path(), testing::bbcheckBinary()};
  args.insert(args.end(), workers.begin(), workers.end());
  CommandResult r = testing::runCommand("unshare", args, 120);
  std::ifstream in(dir.path() + "/out.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return text.str();
}

JsonObject::Ptr parsed(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<JsonObject::Ptr>();
}

JsonObject::Ptr check(const JsonObject::Ptr& report, const std::string& id) {
  auto checks = report->getArray("checks");
  for (size_t i = 0; i < checks->size(); ++i) {
    auto c = checks->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("id") == id) return c;
  }
  return nullptr;
}

class FoundWorkers : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (unshare)";
    if (!std::filesystem::is_directory("/var/lib/buildbot"))
      GTEST_SKIP() << "no /var/lib/buildbot to cover with a private one";
  }
};

TEST_F(FoundWorkers, DebiansWorkerIsCheckedWithTheVarPointingElsewhere) {
  std::string json = runWithDebianWorkers({"x"});
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(testing::schemaErrors(json), "");
  auto report = parsed(json);
  EXPECT_EQ(report->getValue<std::string>("stage"), "all") << json;
  auto workers = report->getArray("workers");
  ASSERT_TRUE(workers && workers->size() == 1) << json;
  auto w = workers->getObject(0);
  EXPECT_EQ(w->getValue<std::string>("path"), "/var/lib/buildbot/workers/x");
  EXPECT_TRUE(w->getValue<bool>("checked"));
  EXPECT_EQ(w->getArray("found_by")->getElement<std::string>(0), "/var/lib/buildbot/workers/");
  // One worker: the profile's ids, judged against that worker.
  auto tac = check(report, "buildarea.tac");
  ASSERT_TRUE(tac) << json;
  EXPECT_NE(tac->getValue<std::string>("status"), "skip") << json;
  EXPECT_FALSE(contains(tac->getValue<std::string>("message"), "no build area")) << json;
  EXPECT_TRUE(contains(tac->getValue<std::string>("message"), "/var/lib/buildbot/workers/x"))
      << json;
}

TEST_F(FoundWorkers, AHostWithoutAWorkerStaysAtTheHostStage) {
  std::string json = runWithDebianWorkers({});
  ASSERT_FALSE(json.empty());
  auto report = parsed(json);
  EXPECT_EQ(report->getValue<std::string>("stage"), "host") << json;
  EXPECT_FALSE(report->has("workers")) << json;  // none found: the report says nothing
  auto tac = check(report, "buildarea.tac");
  ASSERT_TRUE(tac) << json;
  EXPECT_EQ(tac->getValue<std::string>("status"), "skip");
  EXPECT_TRUE(contains(tac->getValue<std::string>("message"), "no build area at")) << json;
}

// Several workers: each judged under an id naming it.
TEST_F(FoundWorkers, TwoWorkersAreEachChecked) {
  std::string json = runWithDebianWorkers({"x", "y"});
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(testing::schemaErrors(json), "");
  auto report = parsed(json);
  EXPECT_EQ(report->getArray("workers")->size(), 2u) << json;
  EXPECT_FALSE(check(report, "buildarea.tac")) << json;
  for (const char* name : {"x", "y"}) {
    auto tac = check(report, std::string("buildarea.tac.") + name);
    ASSERT_TRUE(tac) << json;
    EXPECT_TRUE(contains(tac->getValue<std::string>("message"),
                         std::string("/var/lib/buildbot/workers/") + name))
        << json;
  }
}

}  // namespace
}  // namespace bbcheck
