// Test helper: runs a probe in a forked child that first changes something
// only a separate process should (user ids, network or mount namespace), and
// brings its Outcome back through a pipe. Header-only so that the probe
// library's glob (probes/*.cpp) does not pick it up.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <functional>
#include <sstream>
#include <string>

#include "probes/probe.h"

namespace bbcheck::testing {

struct ChildOutcome {
  std::string failure;  // non-empty: the child could not set up or run
  Outcome outcome;      // observed is an Object (or empty)
};

inline std::string encodeOutcome(const Outcome& o) {
  Poco::JSON::Object out;
  out.set("status", std::string(statusName(o.status)));
  out.set("message", o.message);
  out.set("observed", o.observed);
  out.set("expected", o.expected);
  out.set("fix", o.fix);  // a fix fitted to what the probe saw
  std::ostringstream text;
  out.stringify(text);
  return text.str();
}

inline Status statusFromName(const std::string& name) {
  for (Status s : {Status::Pass, Status::Fail, Status::Error, Status::Blocked, Status::Skip})
    if (name == statusName(s)) return s;
  return Status::Error;
}

inline Value structOf(const Poco::Dynamic::Var& v) {
  if (v.type() == typeid(Poco::JSON::Object::Ptr))
    return Poco::JSON::Object::makeStruct(v.extract<Poco::JSON::Object::Ptr>());
  return v;
}

// The inverse of encodeOutcome.
inline Outcome decodeOutcome(const std::string& json) {
  auto parsed = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  Outcome outcome;
  outcome.status = statusFromName(parsed->getValue<std::string>("status"));
  outcome.message = parsed->getValue<std::string>("message");
  outcome.observed = structOf(parsed->get("observed"));
  outcome.expected = structOf(parsed->get("expected"));
  outcome.fix = parsed->optValue<std::string>("fix", "");
  return outcome;
}

// `body` runs in the child: it may unshare, setuid, ... and then runs the
// probe. Throwing there reports the exception's text as `failure`.
inline ChildOutcome runInChild(const std::function<Outcome()>& body, int timeoutSeconds = 30) {
  ChildOutcome result;
  int fds[2];
  if (::pipe(fds) != 0) {
    result.failure = "pipe failed";
    return result;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    result.failure = "fork failed";
    return result;
  }
  if (pid == 0) {
    ::close(fds[0]);
    std::string text;
    try {
      text = "O" + encodeOutcome(body());
    } catch (const std::exception& e) {
      text = std::string("F") + e.what();
    } catch (...) {
      text = "Fchild threw";
    }
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::_exit(0);  // no atexit handlers, no gtest teardown in the child
  }
  ::close(fds[1]);
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  char buffer[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      result.failure = "child timed out";
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  if (!result.failure.empty()) return result;
  if (text.empty()) {
    result.failure = "child died without a result (wait status " + std::to_string(wstatus) + ")";
  } else if (text[0] == 'F') {
    result.failure = text.substr(1);
  } else {
    result.outcome = decodeOutcome(text.substr(1));
  }
  return result;
}

}  // namespace bbcheck::testing
