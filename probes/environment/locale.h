// The locale the worker's processes get from their environment (LC_ALL,
// LC_CTYPE, LANG; C.UTF-8 when none is set, which is what Python coerces
// the C locale to), and the character set it gives them.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "locale": the locale of this process loads and is UTF-8.
ProbeKind localeProbe();

struct LocaleReading {
  std::string variable;   // "LC_ALL", "LC_CTYPE", "LANG" or "" when none is set
  std::string requested;  // its value, or "C.UTF-8" when none is set
  bool loaded = false;    // the C library could load every category of it
  std::string codeset;    // nl_langinfo(CODESET), when loaded
  std::string error;      // why it could not be loaded
};

// Reads this process's environment, as setlocale(LC_ALL, "") would, but
// with newlocale(): setlocale changes the whole process, whose other
// threads are running probes at the same time.
LocaleReading readEnvironmentLocale();

// True for "UTF-8" and its spellings ("utf8", "UTF8").
bool isUtf8Codeset(const std::string& codeset);

}  // namespace bbcheck
