// Report files are written whole or not at all: into a temporary file beside
// the target, then renamed over it.
#pragma once

#include <string>

namespace bbcheck {

// Throws std::runtime_error naming the path and the system's reason.
void writeFileAtomically(const std::string& path, const std::string& content);

// "" when a file could be created at `path` (its directory exists and is
// writable, and it is not a directory), else why not.
std::string whyNotWritable(const std::string& path);

}  // namespace bbcheck
