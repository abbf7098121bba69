#include "checker/report/safe_text.h"

#include <fmt/format.h>

#include "probes/utf8_text.h"

namespace bbcheck {
namespace {

// Whether a code point must be shown as an escape rather than as itself.
bool mustEscape(char32_t cp, bool keepLineBreaks) {
  if (keepLineBreaks && (cp == '\n' || cp == '\t')) return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

std::string escapeCodePoint(char32_t cp) {
  if (cp == '\n') return "\\n";
  if (cp == '\t') return "\\t";
  if (cp == '\r') return "\\r";
  if (cp < 0x80) return fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
  return fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
}

std::string sanitize(std::string_view text, bool keepLineBreaks) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    size_t length = decodeUtf8(text, i, cp);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
    } else if (mustEscape(cp, keepLineBreaks)) {
      out += escapeCodePoint(cp);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace

std::string safeText(std::string_view text) {
  return sanitize(text, true);
}

std::string safeLine(std::string_view text) {
  return sanitize(text, false);
}

Value safeValue(const Value& value) {
  if (value.isEmpty()) return value;
  if (value.isStruct()) {
    Object out;
    for (const auto& [key, item] : value.extract<Object>()) out[safeText(key)] = safeValue(item);
    return out;
  }
  if (value.isArray()) {
    Array out;
    for (const auto& item : value.extract<Array>()) out.push_back(safeValue(item));
    return out;
  }
  if (value.isString()) return safeText(value.extract<std::string>());
  return value;
}

}  // namespace bbcheck
