#include "checker/safe_text.h"

#include <Poco/UTF8Encoding.h>
#include <fmt/format.h>

namespace bbcheck {

std::string escapeUtf8(const std::string& value,
                       const std::function<void(std::string& out, char c)>& escapeAscii,
                       const std::string& invalidPrefix) {
  static const Poco::UTF8Encoding utf8;
  const auto& map = utf8.characterMap();
  std::string out;
  out.reserve(value.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
  size_t i = 0;
  while (i < value.size()) {
    if (bytes[i] < 0x80) {
      escapeAscii(out, static_cast<char>(bytes[i]));
      ++i;
      continue;
    }
    int kind = map[bytes[i]];
    int length = kind < -1 ? -kind : 0;  // a lead byte says how long its sequence is
    // queryConvert checks the whole sequence: continuation bytes, overlong
    // forms and surrogates.
    if (length > 0 && i + length <= value.size() && utf8.queryConvert(bytes + i, length) >= 0x80) {
      out.append(value, i, static_cast<size_t>(length));
      i += static_cast<size_t>(length);
      continue;
    }
    out += fmt::format("{}{:02X}", invalidPrefix, bytes[i]);
    ++i;
  }
  return out;
}

std::string terminalSafe(const std::string& value) {
  return escapeUtf8(value, [](std::string& out, char c) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      out += fmt::format("\\x{:02X}", byte);
    else
      out += c;
  });
}

}  // namespace bbcheck
