// Linux's cgroup limits of the calling process. /proc/self/cgroup names the
// process's group in each hierarchy (v1: one per controller set, v2: the
// "0::" line); /proc/self/mountinfo says where each hierarchy is mounted and
// which part of it (a container sees only its own subtree). Every group from
// the process's own up to the mount's root is read, because a parent's limit
// binds its children too.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "probes/system/cgroup.h"

namespace bbcheck {
namespace {

struct Membership {
  bool v2 = false;
  std::vector<std::string> controllers;  // v1 only
  std::string path;                      // "/ci/job"
};

struct CgroupMount {
  bool v2 = false;
  std::vector<std::string> options;  // v1: the super options name the controllers
  std::string root;                  // part of the hierarchy mounted ("/" or "/docker/abc")
  std::string mountpoint;            // "/sys/fs/cgroup/memory"
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  for (const auto& x : list)
    if (x == item) return true;
  return false;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescapeMountField(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      const std::string digits = field.substr(i + 1, 3);
      if (digits.find_first_not_of("01234567") == std::string::npos) {
        out += static_cast<char>(std::stoi(digits, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

std::vector<Membership> readMemberships(const std::string& root) {
  std::vector<Membership> groups;
  std::ifstream in(root + "/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    Membership m;
    std::string id = line.substr(0, first);
    std::string controllers = line.substr(first + 1, second - first - 1);
    m.v2 = id == "0" && controllers.empty();
    m.controllers = split(controllers, ',');
    m.path = line.substr(second + 1);
    groups.push_back(m);
  }
  return groups;
}

std::vector<CgroupMount> readMounts(const std::string& root) {
  std::vector<CgroupMount> mounts;
  std::ifstream in(root + "/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = split(line, ' ');
    size_t dash = 0;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (dash < 5 || dash + 3 > fields.size()) continue;
    const std::string& type = fields[dash + 1];
    if (type != "cgroup" && type != "cgroup2") continue;
    CgroupMount mount;
    mount.v2 = type == "cgroup2";
    mount.options = split(fields[dash + 3], ',');
    mount.root = unescapeMountField(fields[3]);
    mount.mountpoint = unescapeMountField(fields[4]);
    mounts.push_back(mount);
  }
  return mounts;
}

// `path` relative to the mount's root; nullopt when the mount does not show it.
std::optional<std::string> relativeTo(const std::string& mountRoot, const std::string& path) {
  if (mountRoot == "/") return path;
  if (path == mountRoot) return std::string("/");
  if (path.compare(0, mountRoot.size() + 1, mountRoot + "/") == 0)
    return path.substr(mountRoot.size());
  return std::nullopt;
}

std::string parentGroup(const std::string& group) {
  size_t slash = group.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : group.substr(0, slash);
}

// A limit file's first line; nullopt when it does not exist (this
// controller is not here). Other failures are reading problems, reported.
std::optional<std::string> readLimitFile(const std::string& path, CgroupLimits& limits) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT)
      limits.problems.push_back(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return std::nullopt;
  }
  char buffer[128];
  ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  int err = errno;
  ::close(fd);
  if (n < 0) {
    limits.problems.push_back(fmt::format("cannot read {}: {}", path, std::strerror(err)));
    return std::nullopt;
  }
  std::string text(buffer, static_cast<size_t>(n));
  return text.substr(0, text.find('\n'));
}

void tighten(CgroupLimit& limit, std::optional<double> value, const std::string& file,
             const std::string& group, const std::string& raw) {
  if (!value || (limit.limited && limit.value <= *value)) return;
  limit = {true, *value, file, group, raw};
}

// Reads one group's limit files into `limits`.
void readGroup(const std::string& dir, const std::string& group, bool v2, CgroupLimits& limits) {
  auto parse = [&](const std::string& file, auto parser, CgroupLimit& limit) {
    std::optional<std::string> text = readLimitFile(dir + "/" + file, limits);
    if (!text) return;
    try {
      tighten(limit, parser(*text), file, group, *text);
    } catch (const std::invalid_argument& e) {
      limits.problems.push_back(fmt::format("{}/{}: {}", dir, file, e.what()));
    }
  };
  if (v2) {
    parse("memory.max", parseMemoryLimit, limits.memory);
    parse("memory.high", parseMemoryLimit, limits.memory);
    parse("cpu.max", parseCpuMax, limits.cpu);
    return;
  }
  parse("memory.limit_in_bytes", parseMemoryLimit, limits.memory);
  std::optional<std::string> period = readLimitFile(dir + "/cpu.cfs_period_us", limits);
  if (period) {
    auto quotaOf = [&](const std::string& quota) { return parseCfsQuota(quota, *period); };
    parse("cpu.cfs_quota_us", quotaOf, limits.cpu);
    if (limits.cpu.file == "cpu.cfs_quota_us" && limits.cpu.group == group)
      limits.cpu.raw += "/" + *period;  // "50000/100000": quota over period
  }
}

// Walks from the process's group up to the mount's root.
void readHierarchy(const std::string& root, const Membership& member, const CgroupMount& mount,
                   CgroupLimits& limits) {
  std::optional<std::string> relative = relativeTo(mount.root, member.path);
  if (!relative) {
    limits.problems.push_back(fmt::format("{} is outside the part of the hierarchy mounted at {}",
                                          member.path, mount.mountpoint));
    return;
  }
  std::string rel = *relative;
  std::string group = member.path;
  while (true) {
    std::string dir = root + mount.mountpoint + (rel == "/" ? "" : rel);
    readGroup(dir, group, member.v2, limits);
    if (rel == "/") break;
    rel = parentGroup(rel);
    group = parentGroup(group);
  }
}

}  // namespace

CgroupLimits readCgroupLimits(const std::string& root) {
  CgroupLimits limits;
  std::vector<Membership> groups = readMemberships(root);
  if (groups.empty()) return limits;  // no cgroups (or no /proc): nothing narrows the host
  std::vector<CgroupMount> mounts = readMounts(root);
  for (const Membership& member : groups) {
    // The mounts of this member's hierarchy; one that shows its group wins
    // (a hierarchy may be mounted more than once, in part).
    const CgroupMount* chosen = nullptr;
    for (const CgroupMount& mount : mounts) {
      if (mount.v2 != member.v2) continue;
      bool sameHierarchy = member.v2;
      for (const auto& c : member.controllers)
        sameHierarchy = sameHierarchy || (!c.empty() && contains(mount.options, c));
      if (!sameHierarchy) continue;
      if (chosen == nullptr ||
          (!relativeTo(chosen->root, member.path) && relativeTo(mount.root, member.path)))
        chosen = &mount;
    }
    if (chosen != nullptr) readHierarchy(root, member, *chosen, limits);
  }
  return limits;
}

}  // namespace bbcheck
