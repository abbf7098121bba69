// The `library` probe: a trivial program links with -lNAME (or pkg-config's
// --libs), optionally referencing one of the library's functions so that the
// link proves the symbol is there, as autoconf's AC_CHECK_LIB does.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "library": a program links with a library.
ProbeKind libraryProbe();

// The program linked: `int main` alone, or one calling `symbol` through a
// prototype of our own (no header needed, C linkage in C++ too).
std::string linkTestProgram(const std::string& symbol);

}  // namespace bbcheck
