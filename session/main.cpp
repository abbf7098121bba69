// bbcheck-session: opens the PAM session the worker's service manager opens
// and starts one program in it, as cron starts a job (Debian's cron,
// do_command.c) and systemd a unit with PAMName=:
//   limits and umask the manager gives, pam_start(SERVICE, USER),
//   pam_acct_mgmt, pam_setcred(ESTABLISH), pam_open_session, then a child
//   that takes the user's groups, gid and uid and execs the program with the
//   manager's environment and PAM's; when it ends, pam_close_session,
//   pam_setcred(DELETE), pam_end.
// pam_limits sets its limits on the process that opens the session; the
// program, forked from it, inherits them, as cron's job does.
//
// bbcheck runs threads, and libpam must not run in a forked child of a
// threaded process: bbcheck execs this single-threaded program instead
// (probes/environment/service_env_exec_linux.cpp), with the request on
// descriptor 3 and status lines on descriptor 4 (probes/session_request.h).
// Its exit code is the program's (128 + signal when a signal ended it).
#include <fcntl.h>
#include <grp.h>
#include <security/pam_appl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "probes/session_request.h"
#include "session/describe.h"
#include "session/pam_session.h"

namespace bbcheck::session {
namespace {

void report(const std::string& word, const std::string& message) {
  std::string line = statusLine(word, message);
  (void)!::write(kStatusFd, line.data(), line.size());
}

[[noreturn]] void fail(const std::string& message) {
  report("failed", message);
  ::_exit(127);
}

std::string readAll(int fd) {
  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

// NAME=VALUE list with `over`'s names replacing `under`'s.
std::vector<std::string> merged(std::vector<std::string> under,
                                const std::vector<std::string>& over) {
  for (const std::string& assignment : over) {
    std::string name = assignment.substr(0, assignment.find('='));
    bool replaced = false;
    for (std::string& u : under)
      if (u.compare(0, name.size() + 1, name + "=") == 0) {
        u = assignment;
        replaced = true;
      }
    if (!replaced) under.push_back(assignment);
  }
  return under;
}

// The PAM steps, as cron runs them. Returns the program's environment;
// refuses (and exits) when PAM refuses the account or, as root, the session.
std::vector<std::string> openSession(const Request& r, PamSession& pam) {
  bool root = ::geteuid() == 0;
  std::string who = "the PAM service " + r.pam_service + " for " + r.user;
  if (!root && r.uid != ::geteuid()) {
    report("note", who + " was not rehearsed: only root may open another user's session");
    return r.env;
  }
  int code = pam.start(r.pam_service, r.user);
  if (code != PAM_SUCCESS)
    fail("pam_start(" + r.pam_service + ", " + r.user + "): " + pam.error(code));
  // cron names its "terminal" cron; pam_access and pam_time rules match it.
  if (r.pam_service == "cron") pam.setItem(PAM_TTY, "cron");
  if (r.env_through_pam)
    for (const std::string& e : r.env) pam.putEnv(e);
  code = pam.accountStep();
  if (code != PAM_SUCCESS) {
    report("refused", who + " refuses the account (pam_acct_mgmt): " + pam.error(code));
    ::_exit(126);
  }
  // Without root, pam_loginuid and pam_limits cannot do their work: the
  // account step was rehearsed, the session is said not to be.
  code = pam.establishCredentials();
  if (code == PAM_SUCCESS) code = pam.openSession();
  if (code != PAM_SUCCESS) {
    if (root) {
      report("refused", who + " refuses the session (pam_open_session): " + pam.error(code));
      ::_exit(126);
    }
    report("note", who + ": the session could not be opened without root (" + pam.error(code) +
                       "); its limits and variables were not applied");
    return r.env;
  }
  return r.env_through_pam ? pam.environment() : merged(pam.environment(), r.env);
}

// In the forked child: the user's groups, gid, uid, directory; then exec.
// Reports errno on `errorFd` (close-on-exec) when a step fails.
[[noreturn]] void becomeAndExec(const Request& r, PamSession* pam, std::vector<std::string> env,
                                int errorFd) {
  auto failed = [&](int step) {
    int failure[2] = {step, errno};
    (void)!::write(errorFd, failure, sizeof failure);
    ::_exit(127);
  };
  ::setpgid(0, 0);  // its own process group, which bbcheck kills at its deadline
  if (::geteuid() == 0) {
    if (::setgid(r.gid) != 0) failed(0);
    if (::setgroups(r.groups.size(), r.groups.data()) != 0) failed(1);
    if (pam != nullptr) pam->reinitialiseCredentials();  // cron: after initgroups
    if (::setuid(r.uid) != 0) failed(2);
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // after setuid, which clears it
  if (::getppid() == 1) ::_exit(127);  // the helper is gone already
  if (!r.working_directory.empty() && ::chdir(r.working_directory.c_str()) != 0) failed(3);
  std::vector<std::string> argText{r.program};
  argText.insert(argText.end(), r.args.begin(), r.args.end());
  std::vector<char*> argv, envp;
  for (std::string& a : argText) argv.push_back(a.data());
  for (std::string& e : env) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  ::execve(r.program.c_str(), argv.data(), envp.data());
  failed(4);
  ::_exit(127);  // not reached: `failed` exits
}

const char* const kSteps[] = {"set its group", "set its groups", "set its user",
                              "enter its working directory", "execute"};

int run() {
  ::fcntl(kStatusFd, F_SETFD, FD_CLOEXEC);
  Request r;
  std::string error;
  std::string text = readAll(kRequestFd);
  ::close(kRequestFd);
  if (!decodeRequest(text, r, error)) fail(error);
  ::umask(r.umask);
  for (const RequestLimit& l : r.limits) {
    rlimit value{static_cast<rlim_t>(l.soft), static_cast<rlim_t>(l.hard)};
    if (::setrlimit(l.resource, &value) != 0)
      fail("could not set limit " + std::to_string(l.resource) + ": " + std::strerror(errno));
  }
  std::unique_ptr<PamSession> pam;
  std::vector<std::string> env = r.env;
  if (!r.pam_service.empty()) {
    pam = std::make_unique<PamSession>();
    env = openSession(r, *pam);
  }
  int errors[2];
  if (::pipe2(errors, O_CLOEXEC) != 0)
    fail(std::string("cannot create a pipe: ") + std::strerror(errno));
  pid_t child = ::fork();
  if (child < 0) fail(std::string("cannot fork: ") + std::strerror(errno));
  if (child == 0) {
    ::close(errors[0]);
    becomeAndExec(r, pam.get(), env, errors[1]);
  }
  ::close(errors[1]);
  int failure[2] = {0, 0};
  ssize_t got = ::read(errors[0], failure, sizeof failure);  // nothing: execve succeeded
  ::close(errors[0]);
  int status = 0;
  if (got == static_cast<ssize_t>(sizeof failure)) {
    ::waitpid(child, &status, 0);
    report("failed",
           std::string("could not ") + kSteps[failure[0]] + ": " + std::strerror(failure[1]));
    return 127;
  }
  report("started", std::to_string(child));
  ::close(kStatusFd);
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  // `pam` closes the session here, as cron's middle process does.
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}

}  // namespace
}  // namespace bbcheck::session

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == bbcheck::session::kDescribeFlag)
    return bbcheck::session::describeThisProcess();
  if (argc != 1 || ::fcntl(bbcheck::session::kRequestFd, F_GETFD) < 0 ||
      ::fcntl(bbcheck::session::kStatusFd, F_GETFD) < 0) {
    const char usage[] =
        "bbcheck-session: bbcheck's helper; it is started by bbcheck, with its request on "
        "descriptor 3\n";
    (void)!::write(2, usage, sizeof usage - 1);
    return 2;
  }
  return bbcheck::session::run();
}
