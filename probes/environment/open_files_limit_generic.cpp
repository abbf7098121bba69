// Elsewhere than Linux the ancestors' limits are not read (/proc is
// Linux's): where the limit was set is unknown; the limit itself is judged.
#include "probes/environment/open_files_limit.h"

namespace bbcheck {

LimitOrigin findLimitOrigin(const FileLimit&) {
  return LimitOrigin{};
}

}  // namespace bbcheck
