// A user (by default `nobody`) and its primary group exist in the user
// database, as the C library's name service (NSS) sees it.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "user-exists": a user and its primary group exist.
ProbeKind userExistsProbe();

struct UserEntry {
  bool found = false;
  std::string error;  // a lookup error (not "no such user")
  long uid = -1;
  long gid = -1;
  bool group_found = false;
  std::string group;  // the primary group's name
};

// getpwnam_r and getgrgid_r: thread-safe, through NSS.
UserEntry lookUpUser(const std::string& name);

}  // namespace bbcheck
