// Small text, file and passwd helpers shared by the boot probe's files
// (crontab reading, systemd reading, the command-line splitter).
#pragma once

#include <pwd.h>

#include <fstream>
#include <sstream>
#include <string>

// boot_detail keeps these generic names (readText, ...) out of bbcheck, where
// other probes' helpers of the same name would clash.
#include "probes/text.h"

namespace bbcheck::boot_detail {

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string homeOf(const std::string& name) {
  passwd* pw = ::getpwnam(name.c_str());
  return pw && pw->pw_dir ? pw->pw_dir : "";
}

}  // namespace bbcheck::boot_detail
