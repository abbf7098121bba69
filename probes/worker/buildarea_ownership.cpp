// The ownership aspect: the worker writes, renames and deletes throughout its
// build area (twistd.log and its rotations, twistd.pid, every builder's
// directory). A file or directory its user cannot write — typically left by
// starting the worker once as root — makes it fail later, mid-build or at
// start. The walk goes breadth first (such leftovers sit near the top), does
// not follow symbolic links, and stops at bounds it reports.
#include "probes/worker/buildarea_ownership.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "probes/utf8_text.h"
#include "probes/worker/buildarea.h"
#include "probes/worker/buildarea_common.h"
#include "probes/worker/rehearsal_session.h"

namespace bbcheck {

using namespace buildarea_detail;

namespace {

constexpr size_t kMaxEntries = 200000;
constexpr int kMaxDepth = 64;
constexpr size_t kListed = 10;

struct Walk {
  size_t examined = 0;
  size_t offending = 0;
  Array listed;                         // the first kListed offending paths, escaped
  std::string cut;                      // why the walk stopped early ("" when complete)
  std::vector<std::string> unreadable;  // directories bbcheck could not list
};

// The worker needs to write files and to create, rename and delete inside
// directories (w and x).
bool usable(const struct stat& st, const Account& who) {
  if (S_ISLNK(st.st_mode)) return true;  // a link's own mode means nothing
  int need = S_ISDIR(st.st_mode) ? (R_OK | W_OK | X_OK) : W_OK;
  return mayAccess(st, who, need);
}

void note(Walk& w, const std::string& path, const struct stat& st) {
  ++w.offending;
  if (w.listed.size() < kListed) {
    w.listed.push_back(fmt::format("{} ({}, mode {})", escapedText(path), userNameOf(st.st_uid),
                                   octalMode(st.st_mode)));
  }
}

Walk walk(const std::string& area, const Account& who, Clock::time_point deadline) {
  Walk w;
  std::deque<std::pair<std::string, int>> queue{{area, 0}};
  while (!queue.empty()) {
    auto [dir, depth] = queue.front();
    queue.pop_front();
    if (Clock::now() >= deadline - Milliseconds(100)) {
      w.cut = fmt::format("the check's timeout (after {} entries)", w.examined);
      return w;
    }
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
      w.unreadable.push_back(escapedText(dir) + ": " + std::strerror(errno));
      continue;
    }
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      if (++w.examined > kMaxEntries) {
        w.cut = fmt::format("{} entries", kMaxEntries);
        ::closedir(d);
        return w;
      }
      std::string path = dir + "/" + name;
      struct stat st;
      if (::lstat(path.c_str(), &st) != 0) continue;  // removed meanwhile
      if (!usable(st, who)) note(w, path, st);
      if (S_ISDIR(st.st_mode)) {
        if (depth + 1 >= kMaxDepth) {
          w.cut = fmt::format("depth {} at {}", kMaxDepth, escapedText(path));
        } else {
          queue.emplace_back(path, depth + 1);
        }
      }
    }
    ::closedir(d);
  }
  return w;
}

}  // namespace

Outcome checkBuildAreaOwnership(const std::string& area, const Account& who,
                                Clock::time_point deadline) {
  struct stat st;
  if (::stat(area.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Outcome::fail(fmt::format("build area {} does not exist or is not a directory: {}", area,
                                     createFix(area, who)),
                         obj({{"path", area}, {"exists", false}}));
  }
  // Root walks anywhere; the worker's user must get there first.
  std::string unreachable = workerCannotReach(who, area, "", deadline);
  if (!unreachable.empty())
    return Outcome::fail(fmt::format("the worker's user {} cannot reach its build area {}: {}",
                                     who.name, area, unreachable),
                         obj({{"path", area}, {"user", who.name}, {"reachable", false}}));
  Walk w;
  if (!usable(st, who)) note(w, area, st);
  Walk inner = walk(area, who, deadline);
  inner.offending += w.offending;
  for (auto& p : inner.listed) w.listed.push_back(p);
  w.listed.resize(std::min(w.listed.size(), kListed));
  w.offending = inner.offending;
  w.examined = inner.examined + 1;
  w.cut = inner.cut;
  w.unreadable = inner.unreadable;

  Object observed = obj({{"user", who.name},
                         {"examined", static_cast<int64_t>(w.examined)},
                         {"not_writable", static_cast<int64_t>(w.offending)},
                         {"paths", w.listed},
                         {"complete", w.cut.empty()}});
  Object expected = obj({{"writable_by", who.name}});
  std::string cut = w.cut.empty() ? "" : fmt::format(" (the walk stopped at {})", w.cut);
  if (w.offending > 0) {
    std::string more = w.offending > w.listed.size()
                           ? fmt::format(" and {} more", w.offending - w.listed.size())
                           : "";
    std::string paths;
    for (const auto& p : w.listed) paths += (paths.empty() ? "" : ", ") + p.toString();
    std::string fix = who.uid == 0 ? "make them writable again (the worker's user here is root)"
                                   : fmt::format("as root, run `chown -R {} {}`", who.name, area);
    return Outcome::fail(
        fmt::format("{} of {} entries in {} are not writable by the worker's user {} (left by a "
                    "run as another user, such as root): {}{}{}; {}",
                    w.offending, w.examined, area, who.name, paths, more, cut, fix),
        observed, expected);
  }
  if (!w.unreadable.empty()) {
    return Outcome::error(fmt::format("cannot look into {}: bbcheck cannot tell whether {} can "
                                      "write there",
                                      join(w.unreadable, ", "), who.name),
                          observed);
  }
  if (!w.cut.empty()) {
    return Outcome::error(fmt::format("{} entries of {} are writable by {}, but the walk stopped "
                                      "at {} before the end: raise the check's timeout",
                                      w.examined, area, who.name, w.cut),
                          observed);
  }
  return Outcome::pass(
      fmt::format("all {} entries in {} are writable by {}", w.examined, area, who.name), observed,
      expected);
}

}  // namespace bbcheck
