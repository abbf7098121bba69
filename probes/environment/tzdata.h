// The time zone database: zoneinfo files that the C library (and Python's
// zoneinfo module) load by name from TZDIR or /usr/share/zoneinfo.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "tzdata": zoneinfo files exist and are valid.
ProbeKind tzdataProbe();

struct ZoneReading {
  std::string zone;  // "Europe/London"
  std::string path;  // the file read
  bool ok = false;
  int version = 0;    // TZif version: 1 (a NUL byte), 2, 3, 4
  std::string error;  // why it is not a loadable zone
};

// TZDIR when set and not empty, else /usr/share/zoneinfo.
std::string zoneinfoDirectory();

// Checks that `text` is a TZif file whose version-1 header and data fit in
// it (RFC 8536 section 3): "" when it is, else what is wrong.
std::string checkTzif(const std::string& text, int& version);

// Reads and checks one zone's file under `directory`.
ZoneReading readZone(const std::string& directory, const std::string& zone);

}  // namespace bbcheck
