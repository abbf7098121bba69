#include "checker/report/safe_text.h"

#include <fmt/format.h>

namespace bbcheck {
namespace {

// Length of the valid UTF-8 sequence at text[i] and its code point, or 0
// when the bytes there are not valid UTF-8 (overlong forms, surrogates and
// values past U+10FFFF are not).
size_t decodeOne(std::string_view text, size_t i, char32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length;
  char32_t min;
  if (lead < 0x80) {
    cp = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

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
    size_t length = decodeOne(text, i, cp);
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
