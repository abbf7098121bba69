// Test helpers for the network probes (header only, included by *_test.cpp
// files; nothing here is linked into bbcheck): run code inside a private
// network namespace, carry an Outcome out of it, a dnsmasq server, test
// certificates and an `openssl s_server`.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Process.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "probes/probe.h"
#include "tests/in_child.h"
#include "tests/probe_testing.h"
#include "tests/test_support.h"

namespace bbcheck::testing {

struct NetnsOptions {
  // Shell commands run first inside the namespace (e.g. iptables rules).
  std::vector<std::string> setup;
  // Files replaced (bind-mounted over, in a private mount namespace) by
  // these texts, e.g. {"/etc/resolv.conf", "nameserver 127.0.0.1\n"}.
  std::map<std::string, std::string> files;
};

// Runs `body` in a forked child inside a new network namespace with only
// loopback up: nothing it does can reach a real network. Returns what `body`
// returned; throws when the namespace could not be set up or the child died.
inline std::string runInNetns(const std::function<std::string()>& body,
                              const NetnsOptions& options = {}, int timeoutSeconds = 30) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    auto fail = [&](const std::string& why) {
      std::string text = "SETUP-FAILED " + why;
      (void)!::write(fds[1], text.data(), text.size());
      ::_exit(3);
    };
    int flags = CLONE_NEWNET | (options.files.empty() ? 0 : CLONE_NEWNS);
    if (::unshare(flags) != 0) fail("unshare(CLONE_NEWNET) failed (tests run as root)");
    if (std::system("ip link set lo up") != 0) fail("ip link set lo up failed (needs iproute2)");
    if (!options.files.empty() && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      fail("could not make the mount namespace private");
    int n = 0;
    for (const auto& [target, text] : options.files) {
      std::string path =
          "/tmp/bbcheck-netns-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
      std::ofstream(path) << text;
      if (::mount(path.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
        fail("could not bind-mount over " + target);
      ::unlink(path.c_str());  // the bind mount keeps it alive
    }
    for (const auto& command : options.setup) {
      if (std::system(command.c_str()) != 0) fail("setup command failed: " + command);
    }
    std::string result = body();
    const char* p = result.data();
    size_t left = result.size();
    while (left > 0) {
      ssize_t n = ::write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  auto deadline = Clock::now() + std::chrono::seconds(timeoutSeconds);
  char buffer[4096];
  bool timedOut = false;
  for (;;) {
    auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timedOut) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timedOut) throw std::runtime_error("namespace child timed out");
  if (out.rfind("SETUP-FAILED ", 0) == 0) throw std::runtime_error(out.substr(13));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("namespace child died: status " + std::to_string(status));
  return out;
}

// A UDP port on `address` that is free right now.
inline int freeUdpPort(const std::string& address = "127.0.0.1") {
  Poco::Net::DatagramSocket socket(Poco::Net::SocketAddress(address, 0));
  return socket.address().port();
}

// dnsmasq (Debian's dnsmasq-base) answering on address:port from its
// command-line records only; killed when this is destroyed.
class Dnsmasq {
 public:
  Dnsmasq(const std::string& address, int port, const std::vector<std::string>& records)
      : port_(port) {
    char dir[] = "/tmp/bbcheck-dnsmasq-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    log_ = std::string(dir) + "/log";
    std::vector<std::string> args = {"--keep-in-foreground",
                                     "--conf-file=/dev/null",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--bind-interfaces",
                                     "--listen-address=" + address,
                                     "--port=" + std::to_string(port),
                                     "--log-facility=" + log_,
                                     "--pid-file=",
                                     "--user=root"};
    args.insert(args.end(), records.begin(), records.end());
    std::string program = "/usr/sbin/dnsmasq";
    if (::access(program.c_str(), X_OK) != 0)
      throw std::runtime_error("dnsmasq not found: install Debian's dnsmasq-base");
    handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(program, args));
    // Ready once it logs "started" (it has bound its sockets by then).
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      std::ifstream in(log_);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.find("started") != std::string::npos) return;
      if (text.find("FAILED") != std::string::npos || !Poco::Process::isRunning(*handle_)) {
        stop();
        throw std::runtime_error("dnsmasq failed to start: " + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    throw std::runtime_error("dnsmasq did not start within 5 s");
  }
  ~Dnsmasq() { stop(); }
  Dnsmasq(const Dnsmasq&) = delete;
  Dnsmasq& operator=(const Dnsmasq&) = delete;
  int port() const { return port_; }

 private:
  void stop() {
    if (!handle_) return;
    try {
      Poco::Process::kill(*handle_);
      handle_->wait();
    } catch (...) {
    }
    handle_.reset();
    std::remove(log_.c_str());
    ::rmdir(log_.substr(0, log_.rfind('/')).c_str());
  }

  int port_;
  std::string log_;
  std::unique_ptr<Poco::ProcessHandle> handle_;
};

inline void openssl(const std::vector<std::string>& args) {
  CommandResult r = runCommand("openssl", args);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args[0] + " failed: " + r.err);
}

// Certificates made with the openssl CLI: a CA, a server certificate for
// localhost/127.0.0.1 signed by it (30 days), an expired one, and a
// self-signed one.
struct Certificates {
  TempDir dir;
  std::string file(const std::string& name) const { return dir.path() + "/" + name; }

  Certificates() {
    std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                   "-nodes"};
    auto req = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = {"req"};
      args.insert(args.end(), ec.begin(), ec.end());
      args.insert(args.end(), extra.begin(), extra.end());
      openssl(args);
    };
    req({"-x509", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "60", "-subj",
         "/CN=bbcheck test CA"});
    req({"-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost"});
    dir.write("san.cnf", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    auto sign = [&](const std::string& out, const std::string& days) {
      openssl({"x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey",
               file("ca.key"), "-CAcreateserial", "-out", file(out), "-days", days, "-extfile",
               file("san.cnf")});
    };
    sign("server.pem", "30");
    sign("expired.pem", "-1");  // notAfter a day before now (OpenSSL 3.0 accepts it)
    req({"-x509", "-keyout", file("self.key"), "-out", file("self.pem"), "-days", "30", "-subj",
         "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
  }
};

inline const Certificates& certificates() {
  static Certificates made;
  return made;
}

// `openssl s_server -www` on 127.0.0.1 and a port it picks; killed when
// this is destroyed.
class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key,
            const std::vector<std::string>& extra = {}) {
    log_ = dir_.path() + "/s_server.log";
    std::string command =
        "exec openssl s_server -accept 127.0.0.1:0 -www -cert " + cert + " -key " + key;
    for (const auto& e : extra) command += " " + e;
    command += " >" + log_ + " 2>&1 </dev/null";
    handle_ =
        std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));
    std::regex accept("ACCEPT 127\\.0\\.0\\.1:([0-9]+)");
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      std::ifstream in(log_);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::smatch m;
      if (std::regex_search(text, m, accept)) {
        port_ = std::stoi(m[1]);
        return;
      }
      if (!Poco::Process::isRunning(*handle_))
        throw std::runtime_error("openssl s_server died: " + text);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("openssl s_server did not start");
  }
  ~TlsServer() {
    Poco::Process::kill(*handle_);
    handle_->wait();
  }
  int port() const { return port_; }

 private:
  TempDir dir_;
  std::string log_;
  int port_ = 0;
  std::unique_ptr<Poco::ProcessHandle> handle_;
};

}  // namespace bbcheck::testing
