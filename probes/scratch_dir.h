// bbcheck's own scratch directory (compiler output and the like). It never
// follows the environment bbcheck is checking: a TMPDIR that does not exist,
// is full or is noexec is a finding about the worker's environment, not a
// reason for bbcheck's own work to fail. So it is made under the host's
// /tmp (then /var/tmp), private (mkdtemp: mode 0700, a fresh name), and
// removed with everything in it. BBCHECK_SCRATCH_DIR, bbcheck's own variable
// and no part of the worker's environment, puts it first in another
// directory (a host whose /tmp is unusable; the tests that watch it).
#pragma once

#include <string>

namespace bbcheck {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::string error_;
};

}  // namespace bbcheck
