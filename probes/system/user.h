#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "user": bbcheck runs as an unprivileged, named user.
ProbeKind userProbe();

struct UserInfo {
  std::string name;  // from the password database; "uid N" when it has no entry
  int64_t uid = -1;  // effective uid
  // Groups the process holds now (egid + supplementary) and groups the user
  // database gives the user (which a fresh login or service start would
  // hold), by name, sorted, without duplicates.
  std::vector<std::string> groups;
};

UserInfo currentUser();

// The members of `groups` named in `forbidden`, in `forbidden`'s order.
std::vector<std::string> privilegedGroups(const std::vector<std::string>& groups,
                                          const std::vector<std::string>& forbidden);

}  // namespace bbcheck
