// The temporary directory the tests' tempfile calls use: writable, with
// free space and inodes.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "temp-space": the temporary directory is writable, with free space.
ProbeKind tempSpaceProbe();

struct TempDirChoice {
  std::string path;      // the directory
  std::string variable;  // "TMPDIR", "TEMP", "TMP", or "" for the default /tmp
};

// Python's tempfile.gettempdir() order: $TMPDIR, $TEMP, $TMP, then /tmp.
TempDirChoice chooseTempDir();

// Creates, writes and removes one file in `dir`: "" when that works, else why.
std::string tryWriteFile(const std::string& dir);

}  // namespace bbcheck
