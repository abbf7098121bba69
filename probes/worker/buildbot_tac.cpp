#include "probes/worker/buildbot_tac.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

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

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads `count` hex digits at s[i...]; false when they are not all hex.
bool readHex(const std::string& s, size_t i, size_t count, uint32_t* value) {
  if (i + count > s.size()) return false;
  *value = 0;
  for (size_t k = 0; k < count; ++k) {
    char c = s[i + k];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    *value = *value * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0'
                                                     : std::tolower(c) - 'a' + 10);
  }
  return true;
}

// Decodes one escape after a backslash at s[i] (i points after the
// backslash); returns the index after the escape. Unknown escapes keep their
// backslash, as Python does.
size_t decodeEscape(const std::string& s, size_t i, std::string& out) {
  char c = s[i];
  uint32_t cp = 0;
  switch (c) {
    case '\\':
      out += '\\';
      return i + 1;
    case '\'':
      out += '\'';
      return i + 1;
    case '"':
      out += '"';
      return i + 1;
    case 'n':
      out += '\n';
      return i + 1;
    case 't':
      out += '\t';
      return i + 1;
    case 'r':
      out += '\r';
      return i + 1;
    case 'a':
      out += '\a';
      return i + 1;
    case 'b':
      out += '\b';
      return i + 1;
    case 'f':
      out += '\f';
      return i + 1;
    case 'v':
      out += '\v';
      return i + 1;
    case 'x':
      if (readHex(s, i + 1, 2, &cp)) {
        appendUtf8(out, cp);
        return i + 3;
      }
      break;
    case 'u':
      if (readHex(s, i + 1, 4, &cp)) {
        appendUtf8(out, cp);
        return i + 5;
      }
      break;
    case 'U':
      if (readHex(s, i + 1, 8, &cp)) {
        appendUtf8(out, cp);
        return i + 9;
      }
      break;
    default:
      if (c >= '0' && c <= '7') {
        size_t k = i;
        while (k < s.size() && k < i + 3 && s[k] >= '0' && s[k] <= '7') {
          cp = cp * 8 + static_cast<uint32_t>(s[k] - '0');
          ++k;
        }
        appendUtf8(out, cp);
        return k;
      }
  }
  out += '\\';
  out += c;
  return i + 1;
}

// Parses one string literal (with an optional r/u/b prefix) starting at
// s[*pos]; advances *pos past it. False when there is none or it does not end
// on this line.
bool parseStringLiteral(const std::string& s, size_t* pos, std::string* out) {
  size_t i = *pos;
  bool raw = false;
  while (i < s.size() && std::strchr("rRuUbB", s[i]) != nullptr && i - *pos < 2) {
    if (s[i] == 'r' || s[i] == 'R') raw = true;
    ++i;
  }
  if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return false;
  char quote = s[i];
  bool triple = s.compare(i, 3, std::string(3, quote)) == 0;
  i += triple ? 3 : 1;
  while (i < s.size()) {
    char c = s[i];
    if (c == quote && (!triple || s.compare(i, 3, std::string(3, quote)) == 0)) {
      *pos = i + (triple ? 3 : 1);
      return true;
    }
    if (c == '\\' && i + 1 < s.size()) {
      if (raw) {
        *out += c;
        *out += s[i + 1];
        i += 2;
      } else {
        i = decodeEscape(s, i + 1, *out);
      }
      continue;
    }
    *out += c;
    ++i;
  }
  return false;
}

// Python integer literal: 600, 0o22, 0x1F, 0b1, 1_000, optionally negative.
bool parseIntLiteral(const std::string& s, int64_t* value) {
  std::string digits;
  for (char c : s) {
    if (c != '_') digits += c;
  }
  if (digits.empty()) return false;
  bool negative = digits[0] == '-';
  if (negative || digits[0] == '+') digits.erase(0, 1);
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' &&
      std::isalpha(static_cast<unsigned char>(digits[1]))) {
    char b = static_cast<char>(std::tolower(digits[1]));
    base = b == 'o' ? 8 : b == 'x' ? 16 : b == 'b' ? 2 : 0;
    if (base == 0) return false;
    digits.erase(0, 2);
  } else if (digits.size() > 1 && digits[0] == '0' &&
             digits.find_first_not_of('0') != std::string::npos) {
    return false;  // 022 is a syntax error in Python 3
  }
  if (digits.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(digits.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return false;
  *value = negative ? -v : v;
  return true;
}

// What follows a value on its line must be nothing or a comment.
bool onlyCommentLeft(const std::string& s, size_t pos) {
  std::string rest = trim(s.substr(pos));
  return rest.empty() || rest[0] == '#';
}

// Scans a line for the start of a triple-quoted string that does not end on
// it (ignoring strings that do and comments). Returns the open delimiter or
// "" when none is left open. `open` is the delimiter carried in from earlier
// lines ("" when none).
std::string tripleQuoteState(const std::string& line, std::string open) {
  size_t i = 0;
  if (!open.empty()) {
    size_t close = line.find(open);
    if (close == std::string::npos) return open;
    i = close + 3;
  }
  while (i < line.size()) {
    char c = line[i];
    if (c == '#') return "";
    if (c == '\'' || c == '"') {
      std::string delim(3, c);
      if (line.compare(i, 3, delim) == 0) {
        size_t close = line.find(delim, i + 3);
        if (close == std::string::npos) return delim;
        i = close + 3;
        continue;
      }
      ++i;
      while (i < line.size() && line[i] != c) i += line[i] == '\\' ? 2 : 1;
    }
    ++i;
  }
  return "";
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
  *rhs = trim(line.substr(eq + 1));
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

std::optional<TacValue> parsePythonLiteral(const std::string& input) {
  std::string rhs = trim(input);
  TacValue v;
  if (rhs.empty()) return std::nullopt;
  size_t pos = 0;
  std::string text;
  if (parseStringLiteral(rhs, &pos, &text)) {
    // Adjacent literals concatenate: 'a' "b".
    while (true) {
      size_t next = rhs.find_first_not_of(" \t", pos);
      if (next == std::string::npos || !parseStringLiteral(rhs, &next, &text)) break;
      pos = next;
    }
    if (!onlyCommentLeft(rhs, pos)) return std::nullopt;
    v.kind = TacValue::Kind::String;
    v.text = text;
    return v;
  }
  size_t end = rhs.find('#');
  std::string word = trim(rhs.substr(0, end));
  if (word == "None") {
    v.kind = TacValue::Kind::None;
  } else if (word == "True" || word == "False") {
    v.kind = TacValue::Kind::Bool;
    v.number = word == "True";
  } else if (parseIntLiteral(word, &v.number)) {
    v.kind = TacValue::Kind::Int;
  } else {
    return std::nullopt;
  }
  return v;
}

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
    if (insideString || !splitAssignment(line, &name, &rhs) || !isKnown(name)) continue;
    std::optional<TacValue> v = parsePythonLiteral(rhs);
    TacValue value = v ? *v : TacValue{TacValue::Kind::Expression, "", 0, 0};
    value.line = number;
    values[name] = value;  // the last top-level assignment wins, as in Python
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
