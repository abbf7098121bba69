// Shared helpers for tests: temporary directories, running the built bbcheck,
// loopback servers and the report schema validator.
#pragma once

#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace bbcheck::testing {

// A directory under /tmp removed (recursively) when this goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `text` to path()/name (creating parent dirs) and returns the path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the bbcheck built with these tests. `env` entries are added to (or,
// with an empty value, removed from) the environment.
CommandResult runBbcheck(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         int timeoutSeconds = 60);

// Runs any program (looked up on PATH) the same way.
CommandResult runCommand(const std::string& program, const std::vector<std::string>& args,
                         int timeoutSeconds = 60);

std::string sourceDir();                        // the repository root
std::string cpuProfile();                       // tests/profiles/good/cpu.yaml: one quick check
std::string readFile(const std::string& path);  // whole, binary; "" if unreadable
std::string bbcheckBinary();                    // the built bbcheck

// "" when `text` is valid UTF-8 (Python's strict decoder judges, not
// bbcheck's own) and holds no control character other than newline and tab
// (no C1 control either), else what was found where.
std::string terminalProblem(const std::string& text);

// Validates a report against schema/report-v1.schema.json with Debian's
// python3-jsonschema; returns "" when valid, else the validator's complaint.
std::string schemaErrors(const std::string& reportJson);

// A TCP server on 127.0.0.1 (or ::1) and an ephemeral port that accepts
// connections and writes `greeting` to each (empty: writes nothing) until it
// is destroyed.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::string greeting = "", bool ipv6 = false);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  int port() const { return port_; }

 private:
  Poco::Net::ServerSocket socket_;
  std::string greeting_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A loopback port that nothing listens on (bound then closed).
int closedLoopbackPort();

}  // namespace bbcheck::testing
