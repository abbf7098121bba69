// Starting a program as the worker's service would: fork, then in the child
// only async-signal-safe calls (bbcheck has threads): limits, umask, groups,
// gid, uid, working directory, then execve with exactly the service's
// variables. Everything that allocates is prepared before the fork.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "probes/elapsed.h"
#include "probes/environment/service_env.h"

namespace bbcheck {
namespace {

constexpr size_t kMaxCapture = 4 << 20;

struct Fds {
  int fd[2] = {-1, -1};
  bool open() { return ::pipe2(fd, O_CLOEXEC) == 0; }
  void close(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
  ~Fds() {
    close(0);
    close(1);
  }
};

// The child's way to say which step failed before execve: step, errno.
struct StartFailure {
  int step;
  int error;
};

const char* const kSteps[] = {"set its limits",
                              "set its groups",
                              "set its group",
                              "set its user",
                              "enter its working directory",
                              "execute"};

[[noreturn]] void failIn(int statusFd, int step) {
  StartFailure f{step, errno};
  (void)!::write(statusFd, &f, sizeof f);
  ::_exit(127);
}

// Reads both outputs until they close or the watch says stop (timed_out).
void readUntilClosed(int outFd, int errFd, ProcessResult& result, ProgramWatch& watch) {
  int fds[2] = {outFd, errFd};
  std::string* sinks[2] = {&result.out, &result.err};
  char buffer[8192];
  while (fds[0] >= 0 || fds[1] >= 0) {
    long left = msUntil(watch.nextLook());
    if (left <= 0) {
      if (watch.mustStop()) {
        result.timed_out = true;
        return;
      }
      left = std::max<long>(msUntil(watch.nextLook()), 1);
    }
    pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    int ready = ::poll(p, 2, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return;
    for (int i = 0; ready > 0 && i < 2; ++i) {
      if (fds[i] < 0 || p[i].revents == 0) continue;
      ssize_t n = ::read(fds[i], buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        fds[i] = -1;
      else if (sinks[i]->size() < kMaxCapture)
        sinks[i]->append(buffer, static_cast<size_t>(n));
    }
  }
}

Milliseconds cpuTime(const rusage& usage) {
  auto ms = [](const timeval& t) { return int64_t{t.tv_sec} * 1000 + t.tv_usec / 1000; };
  return Milliseconds(ms(usage.ru_utime) + ms(usage.ru_stime));
}

}  // namespace

ProcessResult runInServiceEnvironment(const ServiceEnvironment& env, const std::string& program,
                                      const std::vector<std::string>& args,
                                      const ProgramLimit& limit) {
  ProcessResult result;
  bool switchUser = ::geteuid() == 0 && env.uid != ::geteuid();
  std::vector<std::string> envText, argText{program};
  for (const auto& [k, v] : env.env) envText.push_back(k + "=" + v);
  argText.insert(argText.end(), args.begin(), args.end());
  std::vector<char*> envp, argv;
  for (auto& s : envText) envp.push_back(s.data());
  for (auto& s : argText) argv.push_back(s.data());
  envp.push_back(nullptr);
  argv.push_back(nullptr);
  std::vector<rlimit> limits;
  std::vector<int> resources;
  for (const ServiceLimit& l : env.limits) {
    limits.push_back({static_cast<rlim_t>(l.soft), static_cast<rlim_t>(l.hard)});
    resources.push_back(l.resource);
  }
  std::string cwd = env.working_directory.empty() ? "/" : env.working_directory;

  Fds out, err, status;
  if (!out.open() || !err.open() || !status.open()) {
    result.start_error = std::string("cannot create pipes: ") + std::strerror(errno);
    return result;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    result.start_error = std::string("cannot fork: ") + std::strerror(errno);
    return result;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    int devNull = ::open("/dev/null", O_RDONLY);
    ::dup2(devNull, 0);
    ::dup2(out.fd[1], 1);
    ::dup2(err.fd[1], 2);
    for (size_t i = 0; i < limits.size(); ++i)
      if (::setrlimit(resources[i], &limits[i]) != 0) failIn(status.fd[1], 0);
    ::umask(env.umask);
    if (switchUser) {
      if (::setgroups(env.groups.size(), env.groups.data()) != 0) failIn(status.fd[1], 1);
      if (::setgid(env.gid) != 0) failIn(status.fd[1], 2);
      if (::setuid(env.uid) != 0) failIn(status.fd[1], 3);
    }
    // Gone with the thread that waits for it, whatever ends bbcheck.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::chdir(cwd.c_str()) != 0) failIn(status.fd[1], 4);
    ::execve(program.c_str(), argv.data(), envp.data());
    failIn(status.fd[1], 5);
  }
  out.close(1);
  err.close(1);
  status.close(1);
  StartFailure failure{};
  ssize_t got = ::read(status.fd[0], &failure, sizeof failure);  // EOF at a successful execve
  if (got == static_cast<ssize_t>(sizeof failure)) {
    ::waitpid(pid, nullptr, 0);
    result.start_error =
        std::string("could not ") + kSteps[failure.step] + ": " + std::strerror(failure.error);
    return result;
  }
  result.started = true;
  ProgramWatch watch(pid, limit);
  readUntilClosed(out.fd[0], err.fd[0], result, watch);
  if (result.timed_out) ::kill(-pid, SIGKILL);
  int waitStatus = 0;
  rusage usage{};
  while (true) {
    pid_t done = ::wait4(pid, &waitStatus, WNOHANG, &usage);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (!result.timed_out && Clock::now() >= watch.nextLook() && watch.mustStop()) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
    }
    std::this_thread::sleep_for(Milliseconds(2));
  }
  if (WIFEXITED(waitStatus)) result.exit_code = WEXITSTATUS(waitStatus);
  if (WIFSIGNALED(waitStatus)) result.exit_code = 128 + WTERMSIG(waitStatus);
  if (result.timed_out) ::kill(-pid, SIGKILL);
  watch.ended(cpuTime(usage));
  result.cpu = watch.cpu();
  result.wall = watch.wall();
  if (result.timed_out) result.stop_note = watch.stopNote();
  return result;
}

}  // namespace bbcheck
