#include "probes/worker/rehearsal_scratch.h"

#include <algorithm>
#include <filesystem>

#include "probes/python_temp.h"

namespace bbcheck::rehearsal {

AreaScratch::AreaScratch(const ServiceEnvironment& env, const std::string& area,
                         Clock::time_point deadline)
    : env_(env), deadline_(deadline) {
  name_ = ".bbcheck-rehearsal-" + randomToken();
  path_ = area + "/" + name_;
  // Removal is one rm as the user: a fifth of the time, at most a second.
  auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now());
  acts_deadline_ = deadline - std::min(Milliseconds(1000), left / 5);
}

AreaScratch::~AreaScratch() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path_, ec))) return;
  // As the user first: its files, its session (a root-squashed NFS build
  // area lets only the user remove them).
  runInServiceEnvironment(env_, "/bin/rm", {"-rf", "--", path_}, deadline_);
  // Still there (the rm ran out of time): remove_all does not follow links.
  if (fs::is_directory(fs::symlink_status(path_, ec))) fs::remove_all(path_, ec);
}

}  // namespace bbcheck::rehearsal
