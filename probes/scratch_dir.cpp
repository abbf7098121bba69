#include "probes/scratch_dir.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace bbcheck {

ScratchDir::ScratchDir() {
  // Deliberately not $TMPDIR (see the header): the fallbacks every program
  // on the host shares.
  std::vector<std::string> bases{"/tmp", "/var/tmp"};
  if (const char* own = std::getenv("BBCHECK_SCRATCH_DIR"); own && *own)
    bases.insert(bases.begin(), own);
  for (const std::string& base : bases) {
    std::string pattern = base + "/bbcheck-XXXXXX";
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
