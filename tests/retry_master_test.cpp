// --retry-for against a real Buildbot master that starts listening after
// bbcheck started (as in a CI job that starts its master beside bbcheck).
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <future>
#include <regex>

#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

std::string masterProfile() {
  return sourceDir() + "/tests/profiles/good/master_address.yaml";
}

Poco::JSON::Object::Ptr firstCheck(const std::string& report) {
  auto root = Poco::JSON::Parser().parse(report).extract<Poco::JSON::Object::Ptr>();
  return root->getArray("checks")->getObject(0);
}

TEST(RetryFor, WithoutItAMasterNotUpYetFails) {
  int port = closedLoopbackPort();
  CommandResult r = runBbcheck(
      {"run", "-p", masterProfile(), "--set", "port=" + std::to_string(port), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_FALSE(firstCheck(r.out)->has("tries")) << r.out;
}

TEST(RetryFor, WaitsForAMasterThatStartsAfterIt) {
  int port = closedLoopbackPort();
  BuildbotMaster master;
  master.usePort(port);
  std::future<CommandResult> run = std::async(std::launch::async, [port] {
    return runBbcheck({"run", "-p", masterProfile(), "--set", "port=" + std::to_string(port),
                       "--retry-for", "100s", "--deadline", "110s", "--format", "json"},
                      {}, 150);
  });
  // Nothing listens for 3 s: bbcheck must still be waiting then.
  ASSERT_EQ(run.wait_for(std::chrono::seconds(3)), std::future_status::timeout)
      << "bbcheck gave up before the master started:\n"
      << run.get().out;
  master.start();  // returns once the master listens
  CommandResult r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  Poco::JSON::Object::Ptr check = firstCheck(r.out);
  EXPECT_EQ(check->getValue<std::string>("status"), "pass") << r.out;
  ASSERT_TRUE(check->has("tries")) << r.out;
  EXPECT_GE(check->getValue<int>("tries"), 3) << r.out;  // 0, 0.25, 0.75 s... before 3 s
  EXPECT_EQ(schemaErrors(r.out), "");

  // A master that never comes: the last try's failure, and how many tries.
  CommandResult down = runBbcheck({"run", "-p", masterProfile(), "--set",
                                   "port=" + std::to_string(closedLoopbackPort()), "--retry-for",
                                   "1s", "--no-color"});
  EXPECT_EQ(down.exit_code, 1) << down.out << down.err;
  EXPECT_TRUE(
      std::regex_search(down.out, std::regex("(FAIL|ERROR) +master\\.pb: .* \\([0-9]+ tries\\)")))
      << down.out;
}

}  // namespace
}  // namespace bbcheck::testing
