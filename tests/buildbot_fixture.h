// A real Buildbot master and worker for tests, from Debian's `buildbot` and
// `buildbot-worker` packages, on loopback only.
//
//   BuildbotMaster master;          // a temp dir; nothing runs yet
//   master.start();                 // create-master, master.cfg, `buildbot start`
//   BuildbotWorker worker(master);  // create-worker in a temp dir
//   worker.start();                 // `buildbot-worker start`, waits until attached
//   ... master.port(), master.address(), worker.area(), worker.pid() ...
//   (destructors stop both and remove their directories)
//
// A master takes about 3 s to create and start, so share one per test suite:
// derive the suite from BuildbotTest (below) or hold the objects in statics
// set up in SetUpTestSuite. Every failure throws std::runtime_error with the
// command's output or the tail of twistd.log; a missing package is named.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck::testing {

// A distinctive password: tests assert it never shows up in any outcome.
inline constexpr const char* kTestWorkerPassword = "s3cr3t-Pa55-XyZ";
inline constexpr const char* kTestWorkerName = "bbcheck-test-worker";

// `buildbot-worker create-worker -q [extra...] AREA MASTER NAME PASSWORD`.
void createWorkerArea(const std::string& area, const std::string& master,
                      const std::string& name = kTestWorkerName,
                      const std::string& password = kTestWorkerPassword,
                      const std::vector<std::string>& extra = {});

// `runuser -u USER -- program args...`; throws when it exits non-zero.
void runAs(const std::string& user, const std::string& program,
           const std::vector<std::string>& args);

// createWorkerArea run as `user` (the area is then that user's, as for a
// volunteer).
void createWorkerAreaAs(const std::string& user, const std::string& area, const std::string& master,
                        const std::string& name = kTestWorkerName,
                        const std::string& password = kTestWorkerPassword);

// The pid in DIR/twistd.pid; 0 when there is none.
int readTwistdPid(const std::string& dir);

// True while `pid` is a live process (not a zombie).
bool processAlive(int pid);

// Sends SIGTERM to the twistd in `dir` and waits (SIGKILL after `grace`)
// until it has gone. Faster than `buildbot stop`, which polls once a second.
void stopTwistd(const std::string& dir, std::chrono::milliseconds grace = std::chrono::seconds(10));

class BuildbotMaster {
 public:
  explicit BuildbotMaster(std::string workerName = kTestWorkerName,
                          std::string password = kTestWorkerPassword);
  ~BuildbotMaster();
  BuildbotMaster(const BuildbotMaster&) = delete;
  BuildbotMaster& operator=(const BuildbotMaster&) = delete;

  // Creates the master (once) and starts it; the PB port is chosen by the
  // kernel (tcp:0 on 127.0.0.1) and read back from twistd.log, so parallel
  // tests never race for a port. No web UI.
  void start();
  void stop();
  bool running() const;
  // Before the first start(): listen on this port instead of one the
  // kernel picks, e.g. one a bbcheck run already waits on.
  void usePort(int port) { port_ = port; }

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_.path(); }
  const std::string& workerName() const { return worker_name_; }
  const std::string& password() const { return password_; }
  int pid() const { return readTwistdPid(dir()); }

  // Waits until twistd.log, after its first `logOffset` bytes, says
  // `workerName()` attached.
  bool waitForWorker(std::chrono::milliseconds timeout, size_t logOffset = 0) const;
  size_t logSize() const;  // of twistd.log, for waitForWorker

 private:
  TempDir dir_;
  std::string worker_name_;
  std::string password_;
  bool created_ = false;
  int port_ = 0;
};

class BuildbotWorker {
 public:
  // Creates a build area (AREA = a temp dir's "area") for `master`'s worker.
  explicit BuildbotWorker(const BuildbotMaster& master);
  ~BuildbotWorker();
  BuildbotWorker(const BuildbotWorker&) = delete;
  BuildbotWorker& operator=(const BuildbotWorker&) = delete;

  // `buildbot-worker start AREA`, then waits until the master has it attached.
  void start();
  void stop();
  bool running() const;

  const std::string& area() const { return area_; }
  int pid() const { return readTwistdPid(area_); }

 private:
  const BuildbotMaster& master_;
  TempDir dir_;
  std::string area_;
};

// Base for suites that need a running master with an attached worker: both
// start once per suite; a start failure fails every test of the suite with
// the reason (instead of crashing in SetUpTestSuite).
class BuildbotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  static BuildbotMaster& master() { return *master_; }
  static BuildbotWorker& worker() { return *worker_; }

 private:
  static std::unique_ptr<BuildbotMaster> master_;
  static std::unique_ptr<BuildbotWorker> worker_;
  static std::string setup_error_;
};

}  // namespace bbcheck::testing
