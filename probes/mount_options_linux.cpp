#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <sstream>

#include "probes/mount_options.h"

namespace bbcheck {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescaped(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      int value = 0;
      bool octal = true;
      for (size_t k = 1; k <= 3; ++k) {
        char c = field[i + k];
        if (c < '0' || c > '7') octal = false;
        value = value * 8 + (c - '0');
      }
      if (octal) {
        out += static_cast<char>(value);
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

std::vector<std::string> splitComma(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

bool under(const std::string& path, const std::string& mountPoint) {
  if (mountPoint == "/") return true;
  return path.compare(0, mountPoint.size(), mountPoint) == 0 &&
         (path.size() == mountPoint.size() || path[mountPoint.size()] == '/');
}

// The path as the kernel sees it; a missing tail is kept as written.
std::string resolved(std::string path) {
  std::string tail;
  while (true) {
    char buffer[PATH_MAX];
    if (::realpath(path.c_str(), buffer) != nullptr) {
      std::string head = buffer;
      return head == "/" && !tail.empty() ? tail : head + tail;
    }
    size_t slash = path.rfind('/');
    if (slash == std::string::npos || path == "/") return path + tail;
    tail = path.substr(slash) + tail;
    path = slash == 0 ? "/" : path.substr(0, slash);
  }
}

bool has(const MountOf& m, const char* option) {
  return std::find(m.options.begin(), m.options.end(), option) != m.options.end();
}

}  // namespace

MountOf mountOf(const std::string& path, const std::string& mountinfo) {
  std::string text = mountinfo;
  if (text.empty()) {
    std::ifstream in("/proc/self/mountinfo");
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  std::string target = resolved(path);
  MountOf best;
  std::istringstream lines(text);
  std::string line;
  // Later lines are mounted over earlier ones: the longest mount point
  // wins, and among equal ones the last.
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point, options;
    if (!(fields >> id >> parent >> device >> root >> point >> options)) continue;
    point = unescaped(point);
    if (!under(target, point)) continue;
    if (best.found && point.size() < best.mount_point.size()) continue;
    std::string word, filesystem;
    while (fields >> word && word != "-") {
    }
    fields >> filesystem;
    best.found = true;
    best.mount_point = point;
    best.filesystem = filesystem;
    best.options = splitComma(options);
  }
  return best;
}

std::string noexecCause(const std::string& path) {
  MountOf m = mountOf(path);
  if (!m.found || !has(m, "noexec")) return "";
  return fmt::format("`noexec` on the mount at {} ({}, from /proc/self/mountinfo)", m.mount_point,
                     m.filesystem);
}

std::string readOnlyCause(const std::string& path) {
  MountOf m = mountOf(path);
  if (!m.found || !has(m, "ro")) return "";
  return fmt::format("`ro` on the mount at {} ({}, from /proc/self/mountinfo)", m.mount_point,
                     m.filesystem);
}

}  // namespace bbcheck
