// The session helper's request and status encoding (session_request.h).
// Compiled into bbcheck and into bbcheck-session, which links nothing else
// of bbcheck's.
#include "probes/session_request.h"

#include <cerrno>
#include <cstdlib>

namespace bbcheck::session {
namespace {

bool number(const std::string& text, uint64_t& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || text[0] == '-') return false;
  out = value;
  return true;
}

// "RESOURCE:SOFT:HARD".
bool limitFrom(const std::string& text, RequestLimit& limit) {
  size_t a = text.find(':'), b = text.rfind(':');
  uint64_t resource = 0;
  if (a == std::string::npos || a == b) return false;
  if (!number(text.substr(0, a), resource) || !number(text.substr(a + 1, b - a - 1), limit.soft) ||
      !number(text.substr(b + 1), limit.hard))
    return false;
  limit.resource = static_cast<int>(resource);
  return true;
}

}  // namespace

void appendField(std::string& out, const std::string& key, const std::string& value) {
  out += key;
  out += '=';
  out += value;
  out += '\0';
}

Fields decodeFields(const std::string& text) {
  Fields fields;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    std::string field = text.substr(start, end - start);
    size_t eq = field.find('=');
    if (eq != std::string::npos) fields.emplace_back(field.substr(0, eq), field.substr(eq + 1));
    start = end + 1;
  }
  return fields;
}

std::string encodeRequest(const Request& r) {
  std::string out;
  if (!r.pam_service.empty()) appendField(out, "pam", r.pam_service);
  appendField(out, "env_through_pam", r.env_through_pam ? "1" : "0");
  appendField(out, "user", r.user);
  appendField(out, "uid", std::to_string(r.uid));
  appendField(out, "gid", std::to_string(r.gid));
  for (gid_t g : r.groups) appendField(out, "group", std::to_string(g));
  appendField(out, "umask", std::to_string(r.umask));
  appendField(out, "cwd", r.working_directory);
  for (const RequestLimit& l : r.limits)
    appendField(
        out, "limit",
        std::to_string(l.resource) + ":" + std::to_string(l.soft) + ":" + std::to_string(l.hard));
  for (const std::string& e : r.env) appendField(out, "env", e);
  appendField(out, "program", r.program);
  for (const std::string& a : r.args) appendField(out, "arg", a);
  return out;
}

bool decodeRequest(const std::string& text, Request& r, std::string& error) {
  for (const auto& [key, value] : decodeFields(text)) {
    uint64_t n = 0;
    bool ok = true;
    if (key == "pam") {
      r.pam_service = value;
    } else if (key == "env_through_pam") {
      r.env_through_pam = value == "1";
    } else if (key == "user") {
      r.user = value;
    } else if (key == "uid" || key == "gid" || key == "group" || key == "umask") {
      ok = number(value, n);
      if (key == "uid") r.uid = static_cast<uid_t>(n);
      if (key == "gid") r.gid = static_cast<gid_t>(n);
      if (key == "group") r.groups.push_back(static_cast<gid_t>(n));
      if (key == "umask") r.umask = static_cast<mode_t>(n);
    } else if (key == "cwd") {
      r.working_directory = value;
    } else if (key == "limit") {
      RequestLimit l;
      ok = limitFrom(value, l);
      r.limits.push_back(l);
    } else if (key == "env") {
      r.env.push_back(value);
    } else if (key == "program") {
      r.program = value;
    } else if (key == "arg") {
      r.args.push_back(value);
    } else {
      error = "unknown field in the request: " + key;
      return false;
    }
    if (!ok) {
      error = "unreadable " + key + " in the request: " + value;
      return false;
    }
  }
  if (r.program.empty()) {
    error = "the request names no program";
    return false;
  }
  return true;
}

std::string statusLine(const std::string& word, const std::string& message) {
  std::string line = word + " " + message;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line + "\n";
}

Status decodeStatus(const std::string& text) {
  Status s;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    size_t space = line.find(' ');
    std::string word = line.substr(0, space);
    std::string message = space == std::string::npos ? "" : line.substr(space + 1);
    if (word == "note") {
      s.notes.push_back(message);
    } else if (word == "started" || word == "refused" || word == "failed") {
      s.outcome = word;
      s.message = message;
      if (word == "started") s.program = static_cast<pid_t>(std::atol(message.c_str()));
    }
  }
  return s;
}

}  // namespace bbcheck::session
