// The one UTF-8 decoder of bbcheck. Text from outside (host files, program
// output, servers' replies, received reports) is checked and cut here; the
// report boundary (checker/report/safe_text.h) builds on it. Valid means what
// Python's strict decoder accepts: no bad lead or continuation bytes, no
// overlong forms, no surrogates, nothing above U+10FFFF, no sequence cut off.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bbcheck {

// Length (1 to 4) of the valid UTF-8 sequence at text[i], its code point in
// `cp`; 0 when the bytes there are not valid UTF-8.
size_t decodeUtf8(std::string_view text, size_t i, char32_t& cp);

// Byte offset of the first byte Python's UTF-8 decoder (errors="strict")
// rejects; std::string::npos when the whole text is valid.
size_t firstInvalidUtf8(std::string_view text);

// The longest prefix of `text` of at most `maxBytes` bytes that does not end
// inside a character: a cut never splits a UTF-8 sequence.
std::string_view cutAtCharacter(std::string_view text, size_t maxBytes);

// `text` with every byte that is not part of valid UTF-8, and every control
// character (C0, DEL, C1), written as \xNN or \uNNNN (a backslash as \\).
// Printable UTF-8 stays. For messages that quote a build area's names.
std::string escapedText(const std::string& text);

}  // namespace bbcheck
