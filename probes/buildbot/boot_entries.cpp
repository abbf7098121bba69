#include "probes/buildbot/boot_entries.h"

namespace bbcheck {

std::vector<ParamSpec> bootSourceParams() {
  return {{"path", ParamType::Path, true, "", {}, "the build area"},
          {"user",
           ParamType::String,
           false,
           "",
           {},
           "whose crontab to read (default: the user running bbcheck; another user needs root)"}};
}

}  // namespace bbcheck
