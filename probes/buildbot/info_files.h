// The build area's info/ files, as `buildbot-worker create-worker` writes
// them: info/admin (who runs the worker, and how to reach them) and
// info/host (what the machine is). The worker sends every file in info/ to
// the master; the master shows them on the worker's page.
#pragma once

#include <string>

namespace bbcheck {

// create-worker's template texts, left there until the volunteer edits them.
inline constexpr const char* kInfoAdminTemplate = "Your Name Here <admin@youraddress.invalid>";
inline constexpr const char* kInfoHostTemplate = "Please put a description of this build host here";

// The first line of BUILDAREA/info/admin (at most 512 bytes read), or "" when
// the file is missing, unreadable, or still holds (part of) the template.
// The text is as read: callers make it safe for where it goes.
std::string infoAdminLine(const std::string& buildarea);

}  // namespace bbcheck
