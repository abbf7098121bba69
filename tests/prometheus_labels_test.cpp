// The Prometheus report names the worker as its master does: the
// workername in its buildbot.tac, not the host's name.
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

TEST(PrometheusLabels, TheWorkerIsNamedAsInItsBuildbotTac) {
  TempDir dir;
  dir.write("area/buildbot.tac",
            "from buildbot_worker.bot import Worker\n"
            "buildmaster_host = '127.0.0.1'\nport = 9989\nworkername = 'alpha-linux'\n"
            "passwd = 'pw'\n");
  CommandResult r =
      runBbcheck({"run", "-p", "buildbot-worker", "--set", "buildarea=" + dir.path() + "/area",
                  "--only", "buildarea.tac", "--format", "prometheus"});
  EXPECT_NE(r.out.find(",worker=\"alpha-linux\",host=\""), std::string::npos) << r.out << r.err;
  CommandResult json =
      runBbcheck({"run", "-p", "buildbot-worker", "--set", "buildarea=" + dir.path() + "/area",
                  "--only", "buildarea.tac", "--format", "json"});
  EXPECT_NE(json.out.find("\"name\": \"alpha-linux\""), std::string::npos) << json.out;
  EXPECT_EQ(schemaErrors(json.out), "");
  // Without a tac, the host's name.
  CommandResult none =
      runBbcheck({"run", "-p", "buildbot-worker", "--set", "buildarea=" + dir.path() + "/nothing",
                  "--only", "buildarea.tac", "--format", "prometheus"});
  EXPECT_EQ(none.out.find("worker=\"alpha-linux\""), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("bbcheck_info{"), std::string::npos) << none.out;
}

}  // namespace
}  // namespace bbcheck::testing
