#include "probes/buildbot/boot_entries.h"

namespace bbcheck {

std::vector<Param<BootSourceParams>> bootSourceParams() {
  return {
      pathParam("path", &BootSourceParams::path, "the build area").required(),
      stringParam(
          "user", &BootSourceParams::user,
          "whose crontab to read (default: the user running bbcheck; another user needs root)")};
}

}  // namespace bbcheck
