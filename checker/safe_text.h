// Text from outside (a master's replies, host names) made safe to show:
// valid UTF-8 kept, every invalid byte spelled \xNN, and ASCII characters
// passed through `escapeAscii`, which decides about controls and quotes.
#pragma once

#include <functional>
#include <string>

namespace bbcheck {

std::string escapeUtf8(const std::string& value,
                       const std::function<void(std::string& out, char c)>& escapeAscii,
                       const std::string& invalidPrefix = "\\x");

// For a terminal: control characters as \xNN, invalid UTF-8 bytes as \xNN.
std::string terminalSafe(const std::string& value);

}  // namespace bbcheck
