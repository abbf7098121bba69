#pragma once

#include <cstdint>
#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "file": a file or directory exists, with its type, mode, owner and contents.
ProbeKind fileProbe();

struct FileFacts {
  bool exists = false;
  std::string type;   // "file", "directory", "fifo", "socket", "char-device", "block-device"
  unsigned mode = 0;  // permission bits (07777)
  std::string owner;  // user name, or the uid when it has no name
  int64_t size = 0;
  std::string error;  // non-empty: could not stat (not "does not exist")
};

// stat(2) of `path`, following symlinks as a reader of the path would.
FileFacts statFile(const std::string& path);

// "0600", "600" or "0o600" -> 0600; false when not octal permission bits.
bool parseMode(const std::string& text, unsigned& mode);

// 0600 -> "0600".
std::string formatMode(unsigned mode);

}  // namespace bbcheck
