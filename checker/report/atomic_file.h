// Report files are written whole or not at all: into a temporary file beside
// the target, then renamed over it. The temporary file is created with
// O_CREAT|O_EXCL|O_NOFOLLOW in a directory opened once, so nothing another
// user plants under its name (a link, a file) is ever written through, and
// the rename replaces the target's directory entry, never what a link there
// names.
#pragma once

#include <string>

namespace bbcheck {

// Throws std::runtime_error naming the path and the system's reason.
void writeFileAtomically(const std::string& path, const std::string& content);

// "" when a file can be created in directory `dir` the way
// writeFileAtomically creates one (tried: created and removed), else why not.
std::string whyNoFileCanBeCreated(const std::string& dir);

}  // namespace bbcheck
