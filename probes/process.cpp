// Poco::Process cannot start a child in its own process group, and a probe
// that times out must stop the whole tree it started (a shell script's
// `sleep`, a compiler's cc1): so this uses posix_spawn directly.
#include "probes/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "probes/elapsed.h"

extern char** environ;

namespace bbcheck {
namespace {

constexpr size_t kMaxCapture = 1 << 20;

// Process groups of the programs running now, for killRunningProcesses().
// A fixed table of atomics rather than a container: a signal handler may
// read it (killRunningProcessesFromSignal).
constexpr size_t kGroupSlots = 1024;
std::atomic<pid_t> gGroups[kGroupSlots];
std::mutex gRunningMutex;   // serialises registration against stopping
std::set<pid_t> gOverflow;  // beyond the table (not seen by a signal handler)
bool gStopped = false;      // after stopAllProcesses(): nothing new may run

struct RunningGroup {
  pid_t pid;
  explicit RunningGroup(pid_t p) : pid(p) {
    std::lock_guard<std::mutex> lock(gRunningMutex);
    // Started just as bbcheck was stopping: it must not outlive the run.
    if (gStopped) ::kill(-pid, SIGKILL);
    for (auto& slot : gGroups) {
      pid_t empty = 0;
      if (slot.compare_exchange_strong(empty, pid)) return;
    }
    gOverflow.insert(pid);
  }
  ~RunningGroup() {
    std::lock_guard<std::mutex> lock(gRunningMutex);
    for (auto& slot : gGroups) {
      pid_t mine = pid;
      if (slot.compare_exchange_strong(mine, 0)) return;
    }
    gOverflow.erase(pid);
  }
};

bool stopped() {
  std::lock_guard<std::mutex> lock(gRunningMutex);
  return gStopped;
}

bool isExecutableFile(const std::string& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

// A pipe whose ends close themselves.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fd, O_CLOEXEC) != 0) fd[0] = fd[1] = -1;
  }
  ~Pipe() {
    closeRead();
    closeWrite();
  }
  bool ok() const { return fd[0] >= 0; }
  void closeRead() {
    if (fd[0] >= 0) ::close(fd[0]);
    fd[0] = -1;
  }
  void closeWrite() {
    if (fd[1] >= 0) ::close(fd[1]);
    fd[1] = -1;
  }
};

// Feeds stdin and reads stdout/stderr until both close or the watch says
// stop. poll() on the descriptors is what lets the I/O itself honour it.
bool exchange(Pipe& in, Pipe& out, Pipe& err, const std::string& input, ProcessResult& result,
              ProgramWatch& watch) {
  size_t written = 0;
  if (input.empty())
    in.closeWrite();
  else
    ::fcntl(in.fd[1], F_SETFL, O_NONBLOCK);
  std::string* sinks[2] = {&result.out, &result.err};
  int readFds[2] = {out.fd[0], err.fd[0]};
  int open = 2;
  char buffer[8192];
  while (open > 0) {
    long left = msUntil(watch.nextLook());
    if (left <= 0) {
      if (watch.mustStop()) return false;
      left = std::max<long>(msUntil(watch.nextLook()), 1);
    }
    pollfd fds[3] = {{readFds[0], POLLIN, 0}, {readFds[1], POLLIN, 0}, {in.fd[1], POLLOUT, 0}};
    int ready = ::poll(fds, 3, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;  // the loop re-checks the deadline
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        readFds[i] = -1;
        --open;
      } else if (sinks[i]->size() < kMaxCapture) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      }
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      ssize_t n = ::write(in.fd[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      // EPIPE: the program closed its stdin early; what it prints still counts.
      if (n < 0 && errno != EAGAIN && errno != EINTR) in.closeWrite();
      if (written == input.size()) in.closeWrite();
    }
  }
  return true;
}

Milliseconds cpuTime(const rusage& usage) {
  auto ms = [](const timeval& t) { return int64_t{t.tv_sec} * 1000 + t.tv_usec / 1000; };
  return Milliseconds(ms(usage.ru_utime) + ms(usage.ru_stime));
}

int decodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

void killRunningProcesses() {
  std::lock_guard<std::mutex> lock(gRunningMutex);
  for (auto& slot : gGroups)
    if (pid_t pid = slot.load(); pid > 0) ::kill(-pid, SIGKILL);
  for (pid_t pid : gOverflow) ::kill(-pid, SIGKILL);
}

void stopAllProcesses() {
  {
    std::lock_guard<std::mutex> lock(gRunningMutex);
    gStopped = true;
  }
  killRunningProcesses();
}

void killRunningProcessesFromSignal() {
  for (auto& slot : gGroups)
    if (pid_t pid = slot.load(); pid > 0) ::kill(-pid, SIGKILL);
}

std::string findOnPath(const std::string& name) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return isExecutableFile(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (isExecutableFile(candidate)) return candidate;
    start = end + 1;
  }
  return "";
}

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const ProgramLimit& limit, const std::string& input) {
  ProcessResult result;
  if (stopped()) {
    result.start_error = program + ": not started, bbcheck is stopping";
    return result;
  }
  std::string resolved = findOnPath(program);
  if (resolved.empty()) {
    result.start_error = program + ": not found on PATH";
    return result;
  }
  Pipe in, out, err;
  if (!in.ok() || !out.ok() || !err.ok()) {
    result.start_error = program + ": cannot create pipes: " + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  posix_spawnattr_t attrs;
  posix_spawnattr_init(&attrs);
  // Its own process group, so that a timeout can stop everything it started;
  // default SIGPIPE/SIGINT handling, whatever bbcheck itself set.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attrs, &defaults);
  posix_spawnattr_setpgroup(&attrs, 0);
  posix_spawnattr_setflags(&attrs, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  std::string argv0 = program;
  argv.push_back(argv0.data());
  std::vector<std::string> copies(args);
  for (auto& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, resolved.c_str(), &actions, &attrs, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attrs);
  if (rc != 0) {
    result.start_error = program + ": " + std::strerror(rc);
    return result;
  }
  result.started = true;
  RunningGroup running(pid);
  ProgramWatch watch(pid, limit);
  in.closeRead();
  out.closeWrite();
  err.closeWrite();

  bool finished = exchange(in, out, err, input, result, watch);
  if (!finished) {
    result.timed_out = true;
    ::kill(-pid, SIGKILL);
  }
  // Output closed: the program is exiting. Wait for its status, but never
  // long past what the watch allows (it may have closed its output and gone on).
  int status = 0;
  rusage usage{};
  while (true) {
    pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (!result.timed_out && Clock::now() >= watch.nextLook() && watch.mustStop()) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
    }
    std::this_thread::sleep_for(Milliseconds(1));
  }
  result.exit_code = decodeStatus(status);
  if (result.timed_out) ::kill(-pid, SIGKILL);  // whatever it left behind in its group
  watch.ended(cpuTime(usage));
  result.cpu = watch.cpu();
  result.wall = watch.wall();
  if (result.timed_out) result.stop_note = watch.stopNote();
  return result;
}

}  // namespace bbcheck
