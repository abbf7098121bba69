#include "probes/scratch_dir.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace bbcheck {

ScratchDir::ScratchDir() {
  // Deliberately not $TMPDIR (see the header): the fallbacks every program
  // on the host shares.
  for (const char* base : {"/tmp", "/var/tmp"}) {
    std::string pattern = std::string(base) + "/bbcheck-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
      error_.clear();
      return;
    }
    if (error_.empty())
      error_ = fmt::format("cannot create bbcheck's scratch directory like {}: {}", pattern,
                           std::strerror(errno));
  }
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace bbcheck
