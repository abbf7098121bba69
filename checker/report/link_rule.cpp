#include "checker/report/link_rule.h"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/text.h"

namespace bbcheck {
namespace {

std::string userName(uid_t uid) {
  struct passwd* pw = ::getpwuid(uid);
  if (pw != nullptr) return fmt::format("{} (uid {})", pw->pw_name, uid);
  return fmt::format("uid {}", uid);
}

// Why the link at `link` may not be followed, or "".
std::string refusal(const std::string& link, const struct stat& linkStat) {
  std::string dir = directoryOf(link);
  struct stat dirStat {};
  if (::stat(dir.c_str(), &dirStat) != 0) return "";  // the kernel will say
  bool shared = (dirStat.st_mode & S_ISVTX) != 0 && (dirStat.st_mode & S_IWOTH) != 0;
  uid_t caller = ::geteuid();
  if (!shared || linkStat.st_uid == caller || linkStat.st_uid == dirStat.st_uid) return "";
  return fmt::format(
      "{} is a symlink owned by {} in {}, a sticky world-writable directory: bbcheck does not "
      "follow another user's link there (the kernel's fs.protected_symlinks rule); remove the "
      "link or write the report elsewhere",
      link, userName(linkStat.st_uid), dir);
}

}  // namespace

std::string linkRefusal(const std::string& path) {
  // Each prefix that ends a component: "/a", "/a/b", ... and the path itself.
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    std::string prefix = end == std::string::npos ? path : path.substr(0, end);
    if (!prefix.empty() && prefix != "/") {
      struct stat st {};
      if (::lstat(prefix.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        std::string why = refusal(prefix, st);
        if (!why.empty()) return why;
      }
    }
    if (end == std::string::npos) break;
  }
  return "";
}

}  // namespace bbcheck
