// Small text, file and passwd helpers shared by the boot probe's files
// (crontab reading, systemd reading, the command-line splitter).
#pragma once

#include <pwd.h>

#include <fstream>
#include <sstream>
#include <string>

// boot_detail keeps these generic names (trim, readText) out of bbcheck, where
// other probes' helpers of the same name would clash.
namespace bbcheck::boot_detail {

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

inline std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

inline std::string homeOf(const std::string& name) {
  passwd* pw = ::getpwnam(name.c_str());
  return pw && pw->pw_dir ? pw->pw_dir : "";
}

}  // namespace bbcheck::boot_detail
