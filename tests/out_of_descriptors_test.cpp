// Out of descriptors: in a child that used up every descriptor its limit
// allows, each network check (of the network and system families) is an
// `error` saying so, never a network `fail`; the control, the same checks
// with descriptors to spare, passes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "probes/builtin/builtin_probes.h"
#include "tests/in_child.h"
#include "tests/net_testing.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

Outcome withoutDescriptors(const std::string& kind, const Params& params, bool exhaust) {
  ChildOutcome r = runInChild([&] {
    if (exhaust) {
      rlimit limit{64, 64};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) throw std::runtime_error("setrlimit");
      int any = ::open("/", O_RDONLY | O_CLOEXEC);
      while (any >= 0 && ::dup(any) >= 0) {
      }
      if (errno != EMFILE) throw std::runtime_error("descriptors not exhausted");
    }
    return builtinRegistry().find(kind)->run(params, contextFor(3000));
  });
  EXPECT_EQ(r.failure, "");
  return r.outcome;
}

TEST(OutOfDescriptors, NetworkChecksAreErrorsNotFailures) {
  NoProxy env;
  LoopbackServer server("HTTP/1.0 200 OK\r\n\r\n");
  std::string port = std::to_string(server.port());
  std::vector<std::pair<std::string, Params>> checks;
  Params tcp;
  tcp.set("host", std::string("127.0.0.1"));
  tcp.set("port", int64_t{server.port()});
  checks.emplace_back("tcp", tcp);
  Params web;
  web.set("url", "http://127.0.0.1:" + port + "/");
  checks.emplace_back("http", web);
  Params loop;
  loop.set("families", std::vector<std::string>{"ipv4"});
  checks.emplace_back("localhost", loop);
  for (const auto& [kind, params] : checks) {
    Outcome fit = withoutDescriptors(kind, params, false);
    EXPECT_EQ(fit.status, Status::Pass) << kind << ": " << fit.message;
    Outcome starved = withoutDescriptors(kind, params, true);
    EXPECT_EQ(starved.status, Status::Error) << kind << ": " << starved.message;
    EXPECT_NE(starved.message.find("Too many open files"), std::string::npos)
        << kind << ": " << starved.message;
    EXPECT_EQ(starved.message.find("firewall"), std::string::npos) << starved.message;
  }
  Params master;
  master.set("address", "127.0.0.1:" + port);
  Outcome starved = withoutDescriptors("buildmaster", master, true);
  EXPECT_EQ(starved.status, Status::Error) << starved.message;
  EXPECT_NE(starved.message.find("Too many open files"), std::string::npos) << starved.message;
}

}  // namespace
}  // namespace bbcheck::testing
