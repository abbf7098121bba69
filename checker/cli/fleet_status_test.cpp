#include "checker/farm/fleet_status.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "checker/cli/command_fleet.h"
#include "checker/farm/fleet_client.h"

namespace bbcheck {
namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Replies shaped as Buildbot 3.7's REST API answers them.
const char* kWorkers = R"({"workers": [
  {"workerid": 1, "name": "w1", "connected_to": [{"masterid": 1}], "paused": false,
   "configured_on": [], "workerinfo": {}},
  {"workerid": 2, "name": "w2", "connected_to": [], "paused": false},
  {"workerid": 3, "name": "w\u001b[31m3", "connected_to": [{"masterid": 1}], "paused": true}
], "meta": {"total": 3}})";

const char* kBuild = R"({"builds": [{"buildid": 7, "number": 4, "builderid": 2, "workerid": 1,
  "complete": true, "complete_at": 1795608000, "results": 2,
  "state_string": "bbcheck not_ready",
  "properties": {"bbcheck_verdict": ["not_ready", "bbcheck"],
                 "bbcheck_failed": [["tools.git", "master.pb"], "bbcheck"],
                 "bbcheck_summary": [{"pass": 2, "fail": 2, "total": 4}, "bbcheck"],
                 "bbcheck_version": ["0.1.0", "bbcheck"],
                 "workername": ["w1", "Worker"]}}], "meta": {}})";

TEST(FleetStatus, ParsesWorkersBuildersAndBuilds) {
  auto workers = parseWorkers(json(kWorkers));
  ASSERT_EQ(workers.size(), 3u);
  EXPECT_TRUE(workers[0].connected);
  EXPECT_FALSE(workers[1].connected);
  EXPECT_TRUE(workers[2].paused);

  auto builders = parseBbcheckBuilders(json(R"({"builders": [{"builderid": 1, "name": "compile"},
                            {"builderid": 2, "name": "bbcheck-w1"}]})"),
                                       "bbcheck-");
  ASSERT_EQ(builders.size(), 1u);
  EXPECT_EQ(builders[0].id, 2);

  int64_t workerId = 0;
  WorkerCheck check = parseLatestBuild(json(kBuild), "bbcheck-w1", &workerId);
  EXPECT_EQ(workerId, 1);
  EXPECT_TRUE(check.checked);
  EXPECT_EQ(check.verdict, "not_ready");
  EXPECT_EQ(check.failed, (std::vector<std::string>{"tools.git", "master.pb"}));
  EXPECT_EQ(check.summary.at("fail"), 2);
  EXPECT_EQ(check.result, 2);

  WorkerCheck none = parseLatestBuild(json(R"({"builds": []})"), "bbcheck-w2", &workerId);
  EXPECT_FALSE(none.checked);
}

TEST(FleetStatus, WrongShapesAreErrors) {
  EXPECT_THROW(parseWorkers(json(R"({"workers": "none"})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"builders": []})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"workers": [1, 2]})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"workers": [{"workerid": "x", "name": "a"}]})")), FleetError);
  EXPECT_THROW(parseWorkers(json(R"({"workers": [{"workerid": 1}]})")), FleetError);
  int64_t id = 0;
  EXPECT_THROW(parseLatestBuild(json(R"({"builds": [{"complete_at": "soon"}]})"), "b", &id),
               FleetError);
}

TEST(FleetStatus, ConnectedWorkersNotReadyHoldTheFleetBack) {
  auto workers = parseWorkers(json(kWorkers));
  int64_t id = 0;
  workers[0].check = parseLatestBuild(json(kBuild), "bbcheck-w1", &id);
  EXPECT_TRUE(holdsFleetBack(workers[0]));   // connected, not ready
  EXPECT_FALSE(holdsFleetBack(workers[1]));  // disconnected
  EXPECT_TRUE(holdsFleetBack(workers[2]));   // connected, never checked
  workers[0].check.verdict = "ready";
  EXPECT_FALSE(holdsFleetBack(workers[0]));
}

TEST(FleetRender, TextIsOneSafeLinePerWorker) {
  auto workers = parseWorkers(json(kWorkers));
  int64_t id = 0;
  workers[0].check = parseLatestBuild(json(kBuild), "bbcheck-w1", &id);
  std::string text =
      renderFleetText(workers, "http://admin:secret@127.0.0.1:8010/", 1795608000 + 7200);
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;  // no escape reaches a terminal
  EXPECT_NE(text.find("w\\x1b[31m3"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-11-25T12:00:00Z (2h ago)   not_ready      tools.git, master.pb"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("disconnected"), std::string::npos);
  EXPECT_NE(text.find("never checked"), std::string::npos);

  std::string out = renderFleetJson(workers, "http://admin:secret@127.0.0.1:8010/");
  EXPECT_EQ(out.find("secret"), std::string::npos);
  auto root = json(out);
  EXPECT_FALSE(root->getValue<bool>("ready"));
  EXPECT_EQ(root->getArray("workers")->getObject(0)->getValue<std::string>("verdict"), "not_ready");
}

// Rendering is linear in its input: one worker with a 1 MB name (and C1
// controls in it) does not pad every other worker's line to its width.
TEST(FleetStatus, AHugeNameIsCutAndPadsNoOtherLine) {
  std::vector<WorkerStatus> workers(200);
  for (size_t i = 0; i < workers.size(); ++i) workers[i].name = "w" + std::to_string(i);
  workers[7].name = "huge\xc2\x9b" + std::string(1 << 20, 'x');
  std::string text = renderFleetText(workers, "http://127.0.0.1:1/", 0);
  EXPECT_LT(text.size(), 200u * 200u) << "every line padded to the longest name";
  size_t longest = 0;
  for (size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - at);
  }
  EXPECT_LT(longest, 200u);
  EXPECT_NE(text.find("huge\\u009bxxx"), std::string::npos) << "the name, escaped";
  EXPECT_NE(text.find("x\xe2\x80\xa6 "), std::string::npos) << "cut, and marked so";
  std::string json = renderFleetJson(workers, "http://127.0.0.1:1/");
  EXPECT_EQ(json.find("\xc2\x9b"), std::string::npos) << "no raw C1 in the JSON either";
}

}  // namespace
}  // namespace bbcheck
