#include "checker/prometheus_text.h"

#include <fmt/format.h>

#include "checker/safe_text.h"

namespace bbcheck {
namespace {

// Controls other than the line feed have no escape in the format; they are
// spelled out as text so the value stays on one line and readable.
void escapeControl(std::string& out, char c) {
  out += fmt::format("\\\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
}

bool isControl(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

}  // namespace

std::string escapeLabelValue(const std::string& value) {
  return escapeUtf8(
      value,
      [](std::string& out, char c) {
        if (c == '\\')
          out += "\\\\";
        else if (c == '"')
          out += "\\\"";
        else if (c == '\n')
          out += "\\n";
        else if (isControl(c))
          escapeControl(out, c);
        else
          out += c;
      },
      "\\\\x");  // the text \xNN, its backslash escaped
}

std::string escapeHelp(const std::string& text) {
  return escapeUtf8(
      text,
      [](std::string& out, char c) {
        if (c == '\\')
          out += "\\\\";
        else if (c == '\n')
          out += "\\n";
        else if (isControl(c))
          escapeControl(out, c);
        else
          out += c;
      },
      "\\\\x");
}

}  // namespace bbcheck
