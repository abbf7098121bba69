#include "checker/report/prometheus_text.h"

#include "checker/report/safe_text.h"

namespace bbcheck {
namespace {

// The exposition format's own escapes, applied to text safeText already made
// valid UTF-8 without control characters (other than line feed and tab).
std::string exposition(const std::string& text, bool escapeQuotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && escapeQuotes)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string escapeLabelValue(const std::string& value) {
  return exposition(safeText(value), true);
}

std::string escapeHelp(const std::string& text) {
  return exposition(safeText(text), false);
}

}  // namespace bbcheck
