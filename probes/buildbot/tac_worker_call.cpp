#include "probes/buildbot/tac_worker_call.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <optional>
#include <vector>

#include "probes/text.h"

namespace bbcheck {
namespace {

struct Call {
  bool found = false;
  int line = 0;
  std::vector<std::string> positional;
  std::map<std::string, std::string> keyword;
};

bool isIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// The text between the parentheses of the first top-level `Worker(` (or
// `X = Worker(`), arguments split at top-level commas; strings and comments
// are skipped when matching brackets.
Call findCall(const std::string& text) {
  Call call;
  size_t at = 0;
  int line = 1;
  size_t lineStart = 0;
  while (true) {
    at = text.find("Worker(", at);
    if (at == std::string::npos) return call;
    lineStart = text.rfind('\n', at);
    lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
    std::string head = text.substr(lineStart, at - lineStart);
    bool topLevel =
        head.empty() || (std::isalpha(static_cast<unsigned char>(head[0])) &&
                         trimmed(head).back() == '=' && head.find('#') == std::string::npos);
    if (topLevel && (at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1])))) break;
    at += 7;
  }
  for (size_t i = 0; i < lineStart; ++i) line += text[i] == '\n';
  call.line = line;
  std::vector<std::string> args(1);
  int depth = 0;
  for (size_t i = at + 7; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      size_t close = i + 1;
      while (close < text.size() && text[close] != c && text[close] != '\n') {
        close += text[close] == '\\' ? 2 : 1;
      }
      args.back() += text.substr(i, close - i + 1);
      i = close;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
      args.back() += c;
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
      args.back() += c;
    } else if (c == ')') {
      call.found = true;
      break;
    } else if (c == ',' && depth == 0) {
      args.emplace_back();
    } else {
      args.back() += c;
    }
  }
  if (!call.found) return call;
  for (const std::string& raw : args) {
    std::string arg = trimmed(raw);
    if (arg.empty()) continue;
    size_t eq = arg.find('=');
    if (eq != std::string::npos && arg.compare(eq, 2, "==") != 0 &&
        isIdentifier(trimmed(arg.substr(0, eq)))) {
      call.keyword[trimmed(arg.substr(0, eq))] = trimmed(arg.substr(eq + 1));
    } else {
      call.positional.push_back(arg);
    }
  }
  return call;
}

// An argument's value: a literal, or a name assigned a literal at top level.
// nullopt when it is an expression (or an unassigned name).
std::optional<TacValue> valueOf(const std::string& expr, const BuildbotTac& tac) {
  if (isIdentifier(expr) && expr != "None" && expr != "True" && expr != "False") {
    auto it = tac.assigned.find(expr);
    if (it == tac.assigned.end() || it->second.kind == TacValue::Kind::Expression) {
      return std::nullopt;
    }
    return it->second;
  }
  return parsePythonLiteral(expr);
}

// A parameter of Worker(buildmaster_host, port, name, passwd, basedir,
// keepalive, ...): positional index or keyword; `absent` when not passed.
std::optional<TacValue> parameter(const Call& call, const BuildbotTac& tac, size_t index,
                                  const std::string& name, bool* known) {
  *known = true;
  std::string expr;
  if (index < call.positional.size()) {
    expr = call.positional[index];
  } else if (call.keyword.count(name)) {
    expr = call.keyword.at(name);
  } else {
    return TacValue{};  // the default: None
  }
  std::optional<TacValue> v = valueOf(expr, tac);
  if (!v) *known = false;
  return v;
}

bool isNone(const TacValue& v) {
  return v.kind == TacValue::Kind::None;
}

bool truthy(const TacValue& v) {
  if (v.kind == TacValue::Kind::String) return !v.text.empty();
  if (v.kind == TacValue::Kind::Int || v.kind == TacValue::Kind::Bool) return v.number != 0;
  return false;
}

}  // namespace

WorkerRefusal workerRefusal(const std::string& tacText, const BuildbotTac& tac) {
  WorkerRefusal r;
  Call call = findCall(tacText);
  if (!call.found) return r;
  r.line = call.line;
  bool hostKnown, portKnown, connKnown, protoKnown, proxyKnown, ptyKnown;
  auto host = parameter(call, tac, 0, "buildmaster_host", &hostKnown);
  auto port = parameter(call, tac, 1, "port", &portKnown);
  auto conn = parameter(call, tac, 99, "connection_string", &connKnown);
  auto proto = parameter(call, tac, 99, "protocol", &protoKnown);
  auto proxy = parameter(call, tac, 99, "proxy_connection_string", &proxyKnown);
  auto pty = parameter(call, tac, 6, "usePTY", &ptyKnown);
  if (ptyKnown && !isNone(*pty)) {
    r.reason = "worker-side usePTY is not supported anymore";
    r.detail = "Worker(...) is given usePTY";
    return r;
  }
  if (connKnown && !isNone(*conn) && hostKnown && portKnown && !(isNone(*host) && isNone(*port))) {
    r.reason = "If you want to supply a connection string, then set host and port to None";
    r.detail = "Worker(...) is given connection_string together with buildmaster_host/port";
    return r;
  }
  if (protoKnown && !(proto->kind == TacValue::Kind::None && call.keyword.count("protocol") == 0)) {
    std::string p = proto->kind == TacValue::Kind::String ? proto->text : "None";
    if (p != "pb" && p != "msgpack_experimental_v7") {
      r.reason = fmt::format("Unknown protocol {}", p);
      r.detail = "Worker(...) is given protocol " + p;
      return r;
    }
  }
  if (proxyKnown && connKnown && truthy(*proxy) && truthy(*conn)) {
    r.reason =
        "If you want to use HTTP tunneling, then supply build master host and port rather than a "
        "connection string";
    r.detail = "Worker(...) is given proxy_connection_string together with connection_string";
    return r;
  }
  r.line = 0;
  return r;
}

}  // namespace bbcheck
