// Descriptions of compilers (-v), asked once per process per real binary:
// one reached through several names (cc and gcc, clang and clang++), and
// one that both the compiler check and the report's host facts describe.
#pragma once

#include <string>

#include "probes/toolchain/compiler.h"

namespace bbcheck {

// The description of `c` for `language`, with the name and language its own
// even when the binary was asked under another name. An answer cut short by
// a deadline is not kept: a later asker with more time asks again.
// Waiting for another asker's answer counts as the check's local work.
CompilerDescription cachedDescription(const CompilerCandidate& c, const std::string& language,
                                      const ProgramLimit& limit);

}  // namespace bbcheck
