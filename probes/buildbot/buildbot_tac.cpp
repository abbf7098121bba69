#include "probes/buildbot/buildbot_tac.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "probes/text.h"

namespace bbcheck {
namespace {

// Settings buildbot-worker's create-worker writes, plus basedir.
const char* const kKnownNames[] = {"basedir",    "buildmaster_host",
                                   "port",       "connection_string",
                                   "workername", "passwd",
                                   "keepalive",  "delete_leftover_dirs",
                                   "use_tls",    "umask",
                                   "maxdelay",   "protocol"};

bool isKnown(const std::string& name) {
  for (const char* known : kKnownNames) {
    if (name == known) return true;
  }
  return false;
}

// Splits `name = value` at column 0; false for anything else (indented
// lines belong to blocks and only run conditionally).
bool splitAssignment(const std::string& line, std::string* name, std::string* rhs) {
  if (line.empty() || !(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_')) {
    return false;
  }
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) {
    ++i;
  }
  size_t eq = line.find_first_not_of(" \t", i);
  if (eq == std::string::npos || line[eq] != '=' || line.compare(eq, 2, "==") == 0) return false;
  *name = line.substr(0, i);
  *rhs = trimmed(line.substr(eq + 1));
  return true;
}

void assign(BuildbotTac& tac, const std::string& name, const TacValue& v) {
  auto text = [&] { return v.kind == TacValue::Kind::String ? v.text : std::string(); };
  auto number = [&]() -> std::optional<int64_t> {
    if (v.kind == TacValue::Kind::Int || v.kind == TacValue::Kind::Bool) return v.number;
    return std::nullopt;
  };
  auto truth = [&]() -> std::optional<bool> {
    if (auto n = number()) return *n != 0;
    if (v.kind == TacValue::Kind::None) return false;
    return std::nullopt;
  };
  if (name == "basedir") tac.basedir = text();
  if (name == "buildmaster_host") tac.master_host = text();
  if (name == "port") tac.port = number();
  if (name == "connection_string") tac.connection_string = text();
  if (name == "workername") tac.workername = text();
  if (name == "passwd") {
    tac.has_password = v.kind == TacValue::Kind::Expression ||
                       (v.kind == TacValue::Kind::String && !v.text.empty());
  }
  if (name == "keepalive") tac.keepalive = number();
  if (name == "delete_leftover_dirs") tac.delete_leftover_dirs = truth();
  if (name == "use_tls") tac.use_tls = truth();
  if (name == "umask") tac.umask = number();
  if (name == "maxdelay") tac.maxdelay = number();
  if (name == "protocol") tac.protocol = text();
}

// Splits a Twisted endpoint description at unescaped colons.
std::vector<std::string> splitEndpoint(const std::string& s) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      parts.back() += s[++i];
    } else if (s[i] == ':') {
      parts.emplace_back();
    } else {
      parts.back() += s[i];
    }
  }
  return parts;
}

}  // namespace

BuildbotTac parseBuildbotTac(const std::string& text) {
  BuildbotTac tac;
  tac.is_worker = text.find("buildbot_worker") != std::string::npos ||
                  text.find("buildslave") != std::string::npos;
  tac.is_master = !tac.is_worker && text.find("buildbot.master") != std::string::npos;
  std::map<std::string, TacValue> values;
  std::istringstream in(text);
  std::string line;
  std::string openTriple;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    bool insideString = !openTriple.empty();
    openTriple = tripleQuoteState(line, openTriple);
    std::string name, rhs;
    if (insideString || !splitAssignment(line, &name, &rhs)) continue;
    std::optional<TacValue> v = parsePythonLiteral(rhs);
    TacValue value = v ? *v : TacValue{TacValue::Kind::Expression, "", 0, 0};
    value.line = number;
    TacValue kept = value;
    if (name == "passwd") kept.text.clear();
    tac.assigned[name] = kept;
    if (isKnown(name)) values[name] = value;  // the last top-level assignment wins, as in Python
  }
  for (auto& [name, value] : values) {
    assign(tac, name, value);
    if (value.kind == TacValue::Kind::Expression) tac.computed.push_back(name);
  }
  return tac;
}

std::optional<BuildbotTac> readBuildbotTac(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parseBuildbotTac(text.str());
}

bool isComputed(const BuildbotTac& tac, const std::string& name) {
  for (const auto& c : tac.computed) {
    if (c == name) return true;
  }
  return false;
}

MasterEndpoint masterEndpoint(const BuildbotTac& tac) {
  MasterEndpoint ep;
  if (!tac.master_host.empty()) {
    ep.host = tac.master_host;
    ep.port = tac.port.value_or(9989);  // buildbot-worker's default port
    ep.source = "buildmaster_host/port";
    return ep;
  }
  if (tac.connection_string.empty()) return ep;
  // Twisted client endpoints: tcp:HOST:PORT, tcp:host=H:port=P, tls:..., ssl:...
  std::vector<std::string> parts = splitEndpoint(tac.connection_string);
  std::string type = parts[0];
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "tcp" && type != "tcp6" && type != "tls" && type != "ssl") return ep;
  std::vector<std::string> positional;
  std::string port;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.rfind("host=", 0) == 0) {
      ep.host = p.substr(5);
    } else if (p.rfind("port=", 0) == 0) {
      port = p.substr(5);
    } else if (p.find('=') == std::string::npos) {
      positional.push_back(p);
    }
  }
  if (ep.host.empty() && !positional.empty()) ep.host = positional[0];
  if (port.empty() && positional.size() > 1) port = positional[1];
  int64_t n = 0;
  if (ep.host.empty() || !parseIntLiteral(port, &n)) return MasterEndpoint{};
  ep.port = n;
  ep.source = "connection_string";
  return ep;
}

std::string joinHostPort(const std::string& host, int64_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Object tacObserved(const BuildbotTac& tac) {
  Object o;
  auto put = [&](const char* key, const std::string& value) {
    if (isComputed(tac, key)) {
      o[key] = "(computed)";
    } else if (!value.empty()) {
      o[key] = value;
    }
  };
  put("buildmaster_host", tac.master_host);
  if (tac.port) o["port"] = *tac.port;
  put("connection_string", tac.connection_string);
  put("workername", tac.workername);
  o["has_password"] = tac.has_password;
  if (tac.keepalive) o["keepalive"] = *tac.keepalive;
  if (tac.delete_leftover_dirs) o["delete_leftover_dirs"] = *tac.delete_leftover_dirs;
  if (tac.use_tls) o["use_tls"] = *tac.use_tls;
  put("protocol", tac.protocol);
  if (!tac.computed.empty()) {
    Array names(tac.computed.begin(), tac.computed.end());
    o["computed"] = names;
  }
  return o;
}

}  // namespace bbcheck
