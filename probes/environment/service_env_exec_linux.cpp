// Starting a program as the worker's service would, through bbcheck-session
// (session/main.cpp): bbcheck has threads, and libpam must not run in a
// forked child of a threaded process, so the child execs that helper at
// once; the helper opens the service's PAM session, drops to the user and
// execs the program. Everything that allocates is prepared before the fork.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "probes/elapsed.h"
#include "probes/environment/service_env.h"
#include "probes/program_limit.h"
#include "probes/session_request.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxCapture = 4 << 20;
// How long the helper may take to close the session once the program is
// killed at the deadline, before it is killed too.
constexpr Milliseconds kCloseGrace{1000};

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

std::string& helperOverride() {
  static std::string path;
  return path;
}

// Reads `fd` until it closes or the deadline passes; false at the deadline.
bool readAll(int fd, std::string& text, Clock::time_point deadline) {
  char buffer[4096];
  while (true) {
    long left = msUntil(deadline);
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return true;
    if (ready <= 0) continue;
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    text.append(buffer, static_cast<size_t>(n));
  }
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

// Waits for the helper until `until`; false when it still runs.
bool waitFor(pid_t pid, int& status, Clock::time_point until) {
  while (true) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) return true;
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(Milliseconds(2));
  }
}

session::Request requestFor(const ServiceEnvironment& env, const std::string& program,
                            const std::vector<std::string>& args) {
  session::Request r;
  r.pam_service = env.pam_service;
  r.env_through_pam = env.manager == "systemd";
  r.user = env.user;
  r.uid = env.uid;
  r.gid = env.gid;
  r.groups = env.groups;
  r.umask = env.umask;
  r.working_directory = env.working_directory.empty() ? "/" : env.working_directory;
  for (const ServiceLimit& l : env.limits) r.limits.push_back({l.resource, l.soft, l.hard});
  for (const auto& [k, v] : env.env) r.env.push_back(k + "=" + v);
  // /proc/self/exe would be the helper by the time it execs: name the file.
  std::error_code ec;
  r.program = program;
  if (program.rfind("/proc/self/", 0) == 0) {
    fs::path real = fs::read_symlink(program, ec);
    if (!ec) r.program = real;
  }
  r.args = args;
  return r;
}

}  // namespace

void useSessionHelper(const std::string& path) {
  helperOverride() = path;
}

std::string sessionHelperPath() {
  if (!helperOverride().empty()) return helperOverride();
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path& candidate :
       {self.parent_path() / session::kHelperName,
        self.parent_path().parent_path() / "libexec" / "bbcheck" / session::kHelperName})
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  return "";
}

SessionRun runInServiceSession(const ServiceEnvironment& env, const std::string& program,
                               const std::vector<std::string>& args, const ProgramLimit& limit) {
  SessionRun run;
  ProcessResult& result = run.result;
  std::string helper = sessionHelperPath();
  if (helper.empty()) {
    result.start_error = fmt::format(
        "{} (bbcheck's session helper) is neither beside bbcheck nor in ../libexec/bbcheck/",
        session::kHelperName);
    return run;
  }
  std::string request = session::encodeRequest(requestFor(env, program, args));
  std::string helperText = helper;
  char* argv[] = {helperText.data(), nullptr};
  char pathText[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
  char* envp[] = {pathText, nullptr};

  Fds out, err, input, status;
  if (!out.open() || !err.open() || !input.open() || !status.open()) {
    result.start_error = std::string("cannot create pipes: ") + std::strerror(errno);
    return run;
  }
  // The whole request is in the pipe before the helper starts: no write can
  // block on it, or meet a helper that is gone.
  if (request.size() > 65536) ::fcntl(input.fd[1], F_SETPIPE_SZ, static_cast<int>(request.size()));
  ::fcntl(input.fd[1], F_SETFL, O_NONBLOCK);
  if (::write(input.fd[1], request.data(), request.size()) !=
      static_cast<ssize_t>(request.size())) {
    result.start_error = "the request for the session helper does not fit in a pipe";
    return run;
  }
  input.close(1);
  pid_t pid = ::fork();
  if (pid < 0) {
    result.start_error = std::string("cannot fork: ") + std::strerror(errno);
    return run;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    // Descriptors 0 to 4 as the helper expects them. Each source is first
    // moved above them, so that no dup2 overwrites one not yet placed; dup2
    // clears close-on-exec on the copies the helper keeps.
    int sources[] = {::open("/dev/null", O_RDONLY), out.fd[1], err.fd[1], input.fd[0],
                     status.fd[1]};
    static_assert(session::kRequestFd == 3 && session::kStatusFd == 4, "the order above");
    for (int& fd : sources) fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    for (int target = 0; target < 5; ++target)
      if (sources[target] < 0 || ::dup2(sources[target], target) < 0) ::_exit(127);
    // Gone with the thread that waits for it, whatever ends bbcheck.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execve(argv[0], argv, envp);
    ::_exit(127);
  }
  out.close(1);
  err.close(1);
  input.close(0);
  status.close(1);
  std::string statusText;
  // Opening the session is work too: on a busy host it may take past the
  // check's deadline, never past the latest the limit allows.
  bool answered = readAll(status.fd[0], statusText, limit.latestEnd());
  session::Status said = session::decodeStatus(statusText);
  run.notes = said.notes;
  int waitStatus = 0;
  if (said.outcome != "started") {
    if (!answered) ::kill(-pid, SIGKILL);
    waitFor(pid, waitStatus, Clock::time_point::max());
    if (!answered) {
      result.timed_out = true;
      result.start_error = "the session was not open before the deadline";
    } else if (said.outcome.empty()) {
      result.start_error = fmt::format("{} could not be started", helper);
    } else {
      result.start_error = said.message;
      if (said.outcome == "refused") run.refusal = said.message;
    }
    return run;
  }
  result.started = true;
  // The program runs in a process group of its own (the helper's child):
  // that group is what the limit judges and what a stop kills first.
  ProgramWatch watch(said.program, limit);
  readUntilClosed(out.fd[0], err.fd[0], result, watch);
  if (result.timed_out) ::kill(-said.program, SIGKILL);
  rusage usage{};
  // Reaps the helper (with its rusage) before `until`; false when it still runs.
  auto reap = [&](Clock::time_point until, bool watching) {
    while (true) {
      pid_t done = ::wait4(pid, &waitStatus, WNOHANG, &usage);
      if (done == pid || (done < 0 && errno != EINTR)) return true;
      if (Clock::now() >= until) return false;
      if (watching && !result.timed_out && Clock::now() >= watch.nextLook() && watch.mustStop())
        return false;
      std::this_thread::sleep_for(Milliseconds(2));
    }
  };
  if (result.timed_out || !reap(Clock::time_point::max(), true)) {
    // The program's group dies first; its helper then closes the session.
    result.timed_out = true;
    ::kill(-said.program, SIGKILL);
    if (!reap(Clock::now() + kCloseGrace, false)) {
      ::kill(-pid, SIGKILL);
      reap(Clock::time_point::max(), false);
    }
  }
  if (WIFEXITED(waitStatus)) result.exit_code = WEXITSTATUS(waitStatus);
  if (WIFSIGNALED(waitStatus)) result.exit_code = 128 + WTERMSIG(waitStatus);
  if (result.timed_out) ::kill(-said.program, SIGKILL);
  // The helper reaped the program: its rusage holds the program's CPU.
  watch.ended(cpuTime(usage));
  result.cpu = watch.cpu();
  result.wall = watch.wall();
  if (result.timed_out) result.stop_note = watch.stopNote();
  return run;
}

ProcessResult runInServiceEnvironment(const ServiceEnvironment& env, const std::string& program,
                                      const std::vector<std::string>& args,
                                      const ProgramLimit& limit) {
  return runInServiceSession(env, program, args, limit).result;
}

}  // namespace bbcheck
