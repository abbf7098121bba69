#include "tests/buildbot_fixture.h"

#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "probes/process.h"

namespace bbcheck::testing {
namespace {

using std::chrono::milliseconds;

std::string logTail(const std::string& dir, size_t lines = 15) {
  std::string log = readFile(dir + "/twistd.log");
  if (log.empty()) return "(twistd.log is empty or missing)\n";
  size_t pos = log.size();
  for (size_t n = 0; n <= lines && pos != std::string::npos && pos > 0; ++n) {
    pos = log.rfind('\n', pos - 1);
  }
  return pos == std::string::npos ? log : log.substr(pos + 1);
}

// Runs a Buildbot command; throws with its output when it fails. A missing
// command names the Debian package, since tests must not silently skip.
void run(const std::string& package, const std::string& program,
         const std::vector<std::string>& args) {
  if (findOnPath(program).empty()) {
    throw std::runtime_error(fmt::format(
        "{} not found on PATH: these tests need Debian's {} package", program, package));
  }
  CommandResult r = runCommand(program, args, 60);
  if (r.exit_code != 0) {
    std::string command = program;
    for (const auto& a : args) command += " " + a;
    throw std::runtime_error(
        fmt::format("`{}` exited {}: {}{}", command, r.exit_code, r.out, r.err));
  }
}

// A master that needs no web UI and no database server: one worker account
// and one builder, whose scheduler Buildbot requires for the config to load.
std::string masterConfig(const std::string& name, const std::string& password, int port) {
  if (name.find('\'') != std::string::npos || password.find('\'') != std::string::npos) {
    throw std::invalid_argument("worker name and password must not contain quotes");
  }
  return fmt::format(
      "from buildbot.plugins import schedulers, util, worker\n"
      "c = BuildmasterConfig = {{}}\n"
      "c['workers'] = [worker.Worker('{0}', '{1}')]\n"
      "c['protocols'] = {{'pb': {{'port': 'tcp:{2}:interface=127.0.0.1'}}}}\n"
      "c['builders'] = [util.BuilderConfig(name='noop', workernames=['{0}'],\n"
      "                                    factory=util.BuildFactory())]\n"
      "c['schedulers'] = [schedulers.ForceScheduler(name='force', builderNames=['noop'])]\n"
      "c['title'] = 'bbcheck test master'\n"
      "c['buildbotNetUsageData'] = None\n"
      "c['db'] = {{'db_url': 'sqlite:///state.sqlite'}}\n",
      name, password, port);
}

// The port of the last "PBServerFactory starting on N" in twistd.log.
int pbPortFromLog(const std::string& dir) {
  std::string log = readFile(dir + "/twistd.log");
  const std::string marker = "PBServerFactory starting on ";
  size_t at = log.rfind(marker);
  if (at == std::string::npos) return 0;
  return std::atoi(log.c_str() + at + marker.size());
}

}  // namespace

void createWorkerArea(const std::string& area, const std::string& master, const std::string& name,
                      const std::string& password, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"create-worker", "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {area, master, name, password});
  run("buildbot-worker", "buildbot-worker", args);
}

void runAs(const std::string& user, const std::string& program,
           const std::vector<std::string>& args) {
  std::vector<std::string> all{"-u", user, "--", program};
  all.insert(all.end(), args.begin(), args.end());
  run("util-linux", "runuser", all);
}

void createWorkerAreaAs(const std::string& user, const std::string& area, const std::string& master,
                        const std::string& name, const std::string& password) {
  runAs(user, "buildbot-worker", {"create-worker", "-q", area, master, name, password});
}

int readTwistdPid(const std::string& dir) {
  return std::atoi(readFile(dir + "/twistd.pid").c_str());
}

bool processAlive(int pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  // A zombie still answers kill(0) until its parent reaps it.
  std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

void stopTwistd(const std::string& dir, milliseconds grace) {
  int pid = readTwistdPid(dir);
  if (!processAlive(pid)) return;
  ::kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (processAlive(pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      deadline += std::chrono::seconds(5);
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

BuildbotMaster::BuildbotMaster(std::string workerName, std::string password)
    : worker_name_(std::move(workerName)), password_(std::move(password)) {}

BuildbotMaster::~BuildbotMaster() {
  stop();
}

void BuildbotMaster::start() {
  if (!created_) {
    // create-master makes buildbot.tac and the sqlite database.
    run("buildbot", "buildbot", {"create-master", "-q", dir()});
    std::ofstream(dir() + "/master.cfg") << masterConfig(worker_name_, password_, port_);
    created_ = true;
  }
  try {
    // `buildbot start` daemonizes and returns once twistd.log says the
    // master is running (or failed).
    // On a loaded machine start-up can exceed buildbot's default 10 s wait.
    run("buildbot", "buildbot", {"start", "--start_timeout=90", dir()});
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}\ntwistd.log:\n{}", e.what(), logTail(dir())));
  }
  port_ = pbPortFromLog(dir());
  if (port_ == 0) {
    throw std::runtime_error("buildbot master started but twistd.log names no PB port:\n" +
                             logTail(dir()));
  }
}

void BuildbotMaster::stop() {
  stopTwistd(dir());
}

bool BuildbotMaster::running() const {
  return processAlive(pid());
}

size_t BuildbotMaster::logSize() const {
  return readFile(dir() + "/twistd.log").size();
}

bool BuildbotMaster::waitForWorker(milliseconds timeout, size_t logOffset) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string marker = "Worker " + worker_name_ + " attached";
  while (std::chrono::steady_clock::now() < deadline) {
    if (readFile(dir() + "/twistd.log").find(marker, logOffset) != std::string::npos) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return false;
}

BuildbotWorker::BuildbotWorker(const BuildbotMaster& master)
    : master_(master), area_(dir_.path() + "/area") {
  createWorkerArea(area_, master.address(), master.workerName(), master.password());
}

BuildbotWorker::~BuildbotWorker() {
  stop();
}

void BuildbotWorker::start() {
  size_t logOffset = master_.logSize();
  try {
    run("buildbot-worker", "buildbot-worker", {"start", area_});
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}\ntwistd.log:\n{}", e.what(), logTail(area_)));
  }
  if (!master_.waitForWorker(std::chrono::seconds(15), logOffset)) {
    throw std::runtime_error("worker started but the master never saw it attach:\n" +
                             logTail(area_) + "\nmaster:\n" + logTail(master_.dir()));
  }
}

void BuildbotWorker::stop() {
  stopTwistd(area_);
}

bool BuildbotWorker::running() const {
  return processAlive(pid());
}

std::unique_ptr<BuildbotMaster> BuildbotTest::master_;
std::unique_ptr<BuildbotWorker> BuildbotTest::worker_;
std::string BuildbotTest::setup_error_;

void BuildbotTest::SetUpTestSuite() {
  setup_error_.clear();
  try {
    master_ = std::make_unique<BuildbotMaster>();
    master_->start();
    worker_ = std::make_unique<BuildbotWorker>(*master_);
    worker_->start();
  } catch (const std::exception& e) {
    setup_error_ = e.what();
  }
}

void BuildbotTest::TearDownTestSuite() {
  worker_.reset();
  master_.reset();
}

void BuildbotTest::SetUp() {
  ASSERT_TRUE(setup_error_.empty()) << setup_error_;
}

}  // namespace bbcheck::testing
