// The info aspect: the worker sends every file of info/ to the master when it
// connects (buildbot_worker/base.py, remote_getWorkerInfo: open(f, "r").read()
// for each os.listdir entry that is a file). A file it cannot read or decode
// as UTF-8 — an editor's `admin~` or `.admin.swp` too — makes that call
// fail and the worker never attaches.
#include "probes/worker/buildarea_info.h"

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "probes/text.h"
#include "probes/utf8_text.h"
#include "probes/worker/buildarea.h"
#include "probes/worker/buildarea_common.h"

namespace bbcheck {

using namespace buildarea_detail;

namespace {

constexpr size_t kMaxInfoFiles = 200;

// The template test for admin and host ("" when fine).
std::string templateProblem(const std::string& path, const std::string& whole, const char* templ,
                            const char* whatToWrite) {
  if (trimmed(whole).empty())
    return fmt::format("{} is empty: write {} into it", path, whatToWrite);
  if (whole.find(templ) != std::string::npos) {
    return fmt::format("{} still holds the template text \"{}\": replace it with {}", path, templ,
                       whatToWrite);
  }
  return "";
}

// The entries the worker would read: os.listdir (dot files too), kept when
// os.path.isfile (a regular file, through symlinks).
std::vector<std::string> infoFiles(const std::string& dir, int* error) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    *error = errno;
    return names;
  }
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (::stat((dir + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) names.push_back(name);
    if (names.size() >= kMaxInfoFiles) break;
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

Outcome checkBuildAreaInfo(const std::string& area, const Account& who) {
  std::string dir = area + "/info";
  Object observed;
  Object expected =
      obj({{"differs_from", Array{kInfoAdminTemplate, kInfoHostTemplate}}, {"encoding", "UTF-8"}});
  std::vector<std::string> problems;
  int error = 0;
  std::vector<std::string> names = infoFiles(dir, &error);
  if (error != 0 && error != ENOENT) {
    return Outcome::error(fmt::format("cannot list {}: {}", dir, std::strerror(error)));
  }
  Array files;
  bool hasAdmin = false, hasHost = false;
  for (const std::string& name : names) {
    std::string path = dir + "/" + name;
    std::string shown = dir + "/" + escapedText(name);
    files.push_back(escapedText(name));
    std::string blocked = accessProblem(path, who, R_OK);
    if (!blocked.empty()) {
      problems.push_back(
          fmt::format("the worker sends every file in {} to the master but {} cannot read {}: {}",
                      dir, who.name, shown, escapedText(blocked)));
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Outcome::error(fmt::format("cannot read {}: {}", shown, std::strerror(errno)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string whole = text.str();
    size_t bad = firstInvalidUtf8(whole);
    if (bad != std::string::npos) {
      problems.push_back(fmt::format(
          "{} is not valid UTF-8 at byte offset {} (byte 0x{:02X}): the worker sends every file "
          "in info/ and fails on it; {}",
          shown, bad, static_cast<unsigned char>(whole[bad]),
          name == "admin" || name == "host" ? "save it as UTF-8"
                                            : fmt::format("remove it (`rm {}`)", path)));
    }
    if (name == "admin") {
      hasAdmin = true;
      observed["admin"] = escapedText(firstLine(whole));
      std::string p =
          templateProblem(shown, whole, kInfoAdminTemplate,
                          "the admin's name and contact (an obfuscated e-mail is fine)");
      if (!p.empty()) problems.push_back(p);
    } else if (name == "host") {
      hasHost = true;
      observed["host"] = escapedText(firstLine(whole));
      std::string p =
          templateProblem(shown, whole, kInfoHostTemplate,
                          "a description of this host (OS, CPU, memory, virtualisation)");
      if (!p.empty()) problems.push_back(p);
    }
  }
  observed["files"] = files;
  if (!hasAdmin) {
    observed["admin"] = Value();
    problems.push_back(fmt::format(
        "{}/admin is missing: write the admin's name and contact (an obfuscated e-mail is fine) "
        "into it",
        dir));
  }
  if (!hasHost) {
    observed["host"] = Value();
    problems.push_back(
        fmt::format("{}/host is missing: write a description of this host (OS, CPU, memory, "
                    "virtualisation) into it",
                    dir));
  }
  if (!problems.empty()) return Outcome::fail(join(problems, "; "), observed, expected);
  return Outcome::pass(
      fmt::format("{}: admin \"{}\", host \"{}\"; {} file(s), all UTF-8", dir,
                  observed["admin"].toString(), observed["host"].toString(), files.size()),
      observed, expected);
}

}  // namespace bbcheck
