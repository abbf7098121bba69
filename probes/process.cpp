#include "probes/process.h"

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <thread>

namespace bbcheck {
namespace {

constexpr size_t kMaxCapture = 1 << 20;

bool isExecutableFile(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Reads both pipes until they close or the deadline passes. poll() on the
// pipes' descriptors is what lets the read itself honour the deadline.
void drain(Poco::Pipe& out, Poco::Pipe& err, std::string& outText, std::string& errText,
           Clock::time_point deadline, bool& timedOut) {
  pollfd fds[2] = {{out.readHandle(), POLLIN, 0}, {err.readHandle(), POLLIN, 0}};
  std::string* sinks[2] = {&outText, &errText};
  int open = 2;
  char buffer[8192];
  while (open > 0) {
    auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timedOut = true;
      return;
    }
    int ready = ::poll(fds, 2, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the loop re-checks the deadline
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        fds[i].fd = -1;
        --open;
      } else if (sinks[i]->size() < kMaxCapture) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      }
    }
  }
}

}  // namespace

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
                         Clock::time_point deadline, const std::string& input) {
  ProcessResult result;
  std::string resolved = findOnPath(program);
  if (resolved.empty()) {
    result.start_error = program + ": not found on PATH";
    return result;
  }
  Poco::Pipe in, out, err;
  std::optional<Poco::ProcessHandle> handle;
  try {
    handle.emplace(Poco::Process::launch(resolved, args, &in, &out, &err));
  } catch (const Poco::Exception& e) {
    result.start_error = program + ": " + e.displayText();
    return result;
  }
  result.started = true;
  if (!input.empty()) {
    try {
      in.writeBytes(input.data(), static_cast<int>(input.size()));
    } catch (const Poco::Exception&) {
      // The program closed its stdin early; what it printed still counts.
    }
  }
  in.close();
  drain(out, err, result.out, result.err, deadline, result.timed_out);
  if (result.timed_out) {
    Poco::Process::kill(*handle);
  }
  // After EOF on both pipes the process is exiting; wait for its status (but
  // never past the deadline plus a little, in case it closed its pipes early).
  while (true) {
    int code = handle->tryWait();
    if (code != -1) {
      result.exit_code = code;
      break;
    }
    if (Clock::now() >= deadline) {
      if (!result.timed_out) {
        result.timed_out = true;
        Poco::Process::kill(*handle);
      }
      result.exit_code = handle->wait();
      break;
    }
    std::this_thread::sleep_for(Milliseconds(1));
  }
  return result;
}

}  // namespace bbcheck
