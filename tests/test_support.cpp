#include "tests/test_support.h"

#include <Poco/File.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Path.h>
#include <Poco/Process.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "probes/process.h"
#include "probes/service_environment.h"

namespace bbcheck::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/bbcheck-test-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  try {
    Poco::File(path_).remove(true);
  } catch (...) {
  }
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  std::string full = path_ + "/" + name;
  Poco::File(Poco::Path(full).parent()).createDirectories();
  std::ofstream(full, std::ios::binary) << text;
  return full;
}

std::string sourceDir() {
  return BBCHECK_SOURCE_DIR;
}
std::string cpuProfile() {
  return sourceDir() + "/tests/profiles/good/cpu.yaml";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string bbcheckBinary() {
  return BBCHECK_BINARY;
}

#ifdef BBCHECK_SESSION_HELPER
// The tests' binaries are not beside bbcheck, where runInServiceEnvironment
// looks for its session helper: name it before any test runs.
[[maybe_unused]] const bool kSessionHelperNamed = (useSessionHelper(BBCHECK_SESSION_HELPER), true);
#endif

CommandResult runCommand(const std::string& program, const std::vector<std::string>& args,
                         int timeoutSeconds) {
  auto deadline = Clock::now() + std::chrono::seconds(timeoutSeconds);
  ProcessResult r = runProcess(program, args, deadline);
  if (!r.started) throw std::runtime_error(r.start_error);
  if (r.timed_out) throw std::runtime_error(program + " timed out");
  return {r.exit_code, r.out, r.err};
}

CommandResult runBbcheck(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env, int timeoutSeconds) {
  // env(1) sets and unsets variables for the child only.
  std::vector<std::string> full;
  for (const auto& [name, value] : env) {
    if (value.empty()) {
      full.push_back("-u");
      full.push_back(name);
    }
  }
  for (const auto& [name, value] : env) {
    if (!value.empty()) full.push_back(name + "=" + value);
  }
  full.push_back(bbcheckBinary());
  full.insert(full.end(), args.begin(), args.end());
  return runCommand("env", full, timeoutSeconds);
}

std::string terminalProblem(const std::string& text) {
  TempDir dir;
  std::string file = dir.write("text", text);
  CommandResult r = runCommand(
      "python3", {"-c",
                  "import sys\n"
                  "t = open(sys.argv[1], 'rb').read().decode('utf-8')\n"
                  "bad = [(i, hex(ord(c))) for i, c in enumerate(t)\n"
                  "       if (ord(c) < 32 and c not in '\\n\\t') or 0x7f <= ord(c) <= 0x9f]\n"
                  "print(bad[:5] if bad else '')\n",
                  file});
  if (r.exit_code != 0) return "not valid UTF-8: " + r.err;
  return r.out == "\n" ? "" : r.out;
}

std::string schemaErrors(const std::string& reportJson) {
  TempDir dir;
  std::string report = dir.write("report.json", reportJson);
  std::string schema = sourceDir() + "/schema/report-v1.schema.json";
  // Debian's python3-jsonschema lives under /usr/bin/python3, whatever
  // python3 comes first on PATH.
  CommandResult r = runCommand("/usr/bin/python3",
                               {"-c",
                                "import json,sys,jsonschema\n"
                                "schema=json.load(open(sys.argv[1]))\n"
                                "jsonschema.validators.validator_for(schema).check_schema(schema)\n"
                                "v=jsonschema.validators.validator_for(schema)(schema)\n"
                                "errs=[f'{list(e.absolute_path)}: {e.message}' for e in "
                                "v.iter_errors(json.load(open(sys.argv[2])))]\n"
                                "print('\\n'.join(errs)); sys.exit(1 if errs else 0)\n",
                                schema, report});
  if (r.exit_code == 0) return "";
  return r.out + r.err;
}

LoopbackServer::LoopbackServer(std::string greeting, bool ipv6)
    : socket_(Poco::Net::SocketAddress(ipv6 ? "[::1]:0" : "127.0.0.1:0")),
      greeting_(std::move(greeting)) {
  port_ = socket_.address().port();
  thread_ = std::thread([this] {
    std::vector<Poco::Net::StreamSocket> open;  // kept open until we stop
    while (!stop_) {
      if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
      try {
        Poco::Net::StreamSocket client = socket_.acceptConnection();
        if (!greeting_.empty())
          client.sendBytes(greeting_.data(), static_cast<int>(greeting_.size()));
        open.push_back(client);
      } catch (...) {
      }
    }
  });
}

LoopbackServer::~LoopbackServer() {
  stop_ = true;
  thread_.join();
}

int closedLoopbackPort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1:0"));
  int port = s.address().port();
  s.close();
  return port;
}

}  // namespace bbcheck::testing
