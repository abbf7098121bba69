// Text read from a build area (info files, file names) is data: checked as
// UTF-8 the way Python's strict decoder does, and escaped before it goes into
// a message, so that no raw byte from the host reaches a report.
#pragma once

#include <cstddef>
#include <string>

namespace bbcheck {

// Byte offset of the first byte Python's UTF-8 decoder (errors="strict")
// rejects: bad lead or continuation bytes, overlong forms, surrogates,
// code points above U+10FFFF, a sequence cut off at the end.
// std::string::npos when the whole text is valid.
size_t firstInvalidUtf8(const std::string& text);

// `text` with every byte that is not part of valid UTF-8, and every control
// character, written as \xNN (a backslash as \\). Printable UTF-8 stays.
std::string escapedText(const std::string& text);

}  // namespace bbcheck
