// Linux's extended attribute holding a POSIX access ACL.
#include <sys/xattr.h>

#include "probes/worker/worker_user.h"

namespace bbcheck {

bool hasAcl(const std::string& path) {
  return ::getxattr(path.c_str(), "system.posix_acl_access", nullptr, 0) > 0;
}

}  // namespace bbcheck
