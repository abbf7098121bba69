// Elsewhere than Linux mounts are not read yet (/proc/self/mountinfo is
// Linux's): no mount is found, and no mount option is named as a cause.
#include "probes/mount_options.h"

namespace bbcheck {

MountOf mountOf(const std::string&, const std::string&) {
  return {};
}

std::string noexecCause(const std::string&) {
  return "";
}

std::string readOnlyCause(const std::string&) {
  return "";
}

}  // namespace bbcheck
