// Reads a Buildbot worker's buildbot.tac without running Python: the file is
// a Python script, but `buildbot-worker create-worker` writes its settings as
// top-level `name = literal` lines, which is all a readiness check needs.
// The password is never kept: only whether one is set.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probes/buildbot/python_literal.h"  // TacValue, parsePythonLiteral
#include "probes/probe.h"

namespace bbcheck {

struct BuildbotTac {
  bool is_worker = false;   // mentions buildbot_worker (a master's tac does not)
  bool is_master = false;   // a buildmaster's tac (imports buildbot.master)
  std::string basedir;      // '.' for a relocatable tac
  std::string master_host;  // buildmaster_host; empty when None or missing
  std::optional<int64_t> port;
  std::string connection_string;  // newer workers: a Twisted endpoint string
  std::string workername;
  bool has_password = false;  // passwd assigned a non-empty value
  std::optional<int64_t> keepalive;
  std::optional<bool> delete_leftover_dirs;
  std::optional<bool> use_tls;
  std::optional<int64_t> umask;
  std::optional<int64_t> maxdelay;
  std::string protocol;
  // Settings assigned by an expression (e.g. `workername = open(...).read()`):
  // present, but their value is unknown to bbcheck.
  std::vector<std::string> computed;
  // Every top-level `name = ...` (known or not), the last one winning; the
  // password's text is never kept. For reading the Worker(...) call.
  std::map<std::string, TacValue> assigned;
};

// Parses the text of a buildbot.tac. Never fails: what it cannot read stays
// empty (and is listed in `computed` when assigned by an expression).
BuildbotTac parseBuildbotTac(const std::string& text);

// Reads and parses `path`; on failure returns nullopt and sets `error`
// (e.g. "cannot read /x/buildbot.tac: Permission denied").
std::optional<BuildbotTac> readBuildbotTac(const std::string& path, std::string* error);

// The master's host and port the worker connects to: from buildmaster_host
// and port, else from a tcp:/tls: connection_string. Empty host when unknown.
struct MasterEndpoint {
  std::string host;
  int64_t port = 0;
  std::string source;  // "buildmaster_host/port" or "connection_string"
};
MasterEndpoint masterEndpoint(const BuildbotTac& tac);

// "host:port", with [brackets] around an IPv6 literal.
std::string joinHostPort(const std::string& host, int64_t port);

// The settings a report may show (never the password).
Object tacObserved(const BuildbotTac& tac);

// Lower-level pieces, exposed for tests (parsePythonLiteral is declared in
// python_literal.h, included above).
bool isComputed(const BuildbotTac& tac, const std::string& name);

}  // namespace bbcheck
