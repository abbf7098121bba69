// The Python-literal reader behind buildbot.tac parsing: string literals (with
// escapes and prefixes), int literals, None/True/False, and triple-quote tracking.
#include "probes/buildbot/python_literal.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "probes/text.h"

namespace bbcheck {
namespace {

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads `count` hex digits at s[i...]; false when they are not all hex.
bool readHex(const std::string& s, size_t i, size_t count, uint32_t* value) {
  if (i + count > s.size()) return false;
  *value = 0;
  for (size_t k = 0; k < count; ++k) {
    char c = s[i + k];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    *value = *value * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0'
                                                     : std::tolower(c) - 'a' + 10);
  }
  return true;
}

// Decodes one escape after a backslash at s[i] (i points after the
// backslash); returns the index after the escape. Unknown escapes keep their
// backslash, as Python does.
size_t decodeEscape(const std::string& s, size_t i, std::string& out) {
  char c = s[i];
  uint32_t cp = 0;
  switch (c) {
    case '\\':
      out += '\\';
      return i + 1;
    case '\'':
      out += '\'';
      return i + 1;
    case '"':
      out += '"';
      return i + 1;
    case 'n':
      out += '\n';
      return i + 1;
    case 't':
      out += '\t';
      return i + 1;
    case 'r':
      out += '\r';
      return i + 1;
    case 'a':
      out += '\a';
      return i + 1;
    case 'b':
      out += '\b';
      return i + 1;
    case 'f':
      out += '\f';
      return i + 1;
    case 'v':
      out += '\v';
      return i + 1;
    case 'x':
      if (readHex(s, i + 1, 2, &cp)) {
        appendUtf8(out, cp);
        return i + 3;
      }
      break;
    case 'u':
      if (readHex(s, i + 1, 4, &cp)) {
        appendUtf8(out, cp);
        return i + 5;
      }
      break;
    case 'U':
      if (readHex(s, i + 1, 8, &cp)) {
        appendUtf8(out, cp);
        return i + 9;
      }
      break;
    default:
      if (c >= '0' && c <= '7') {
        size_t k = i;
        while (k < s.size() && k < i + 3 && s[k] >= '0' && s[k] <= '7') {
          cp = cp * 8 + static_cast<uint32_t>(s[k] - '0');
          ++k;
        }
        appendUtf8(out, cp);
        return k;
      }
  }
  out += '\\';
  out += c;
  return i + 1;
}

// Parses one string literal (with an optional r/u/b prefix) starting at
// s[*pos]; advances *pos past it. False when there is none or it does not end
// on this line.
bool parseStringLiteral(const std::string& s, size_t* pos, std::string* out) {
  size_t i = *pos;
  bool raw = false;
  while (i < s.size() && std::strchr("rRuUbB", s[i]) != nullptr && i - *pos < 2) {
    if (s[i] == 'r' || s[i] == 'R') raw = true;
    ++i;
  }
  if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return false;
  char quote = s[i];
  bool triple = s.compare(i, 3, std::string(3, quote)) == 0;
  i += triple ? 3 : 1;
  while (i < s.size()) {
    char c = s[i];
    if (c == quote && (!triple || s.compare(i, 3, std::string(3, quote)) == 0)) {
      *pos = i + (triple ? 3 : 1);
      return true;
    }
    if (c == '\\' && i + 1 < s.size()) {
      if (raw) {
        *out += c;
        *out += s[i + 1];
        i += 2;
      } else {
        i = decodeEscape(s, i + 1, *out);
      }
      continue;
    }
    *out += c;
    ++i;
  }
  return false;
}

// What follows a value on its line must be nothing or a comment.
bool onlyCommentLeft(const std::string& s, size_t pos) {
  std::string rest = trimmed(s.substr(pos));
  return rest.empty() || rest[0] == '#';
}

}  // namespace

// Python integer literal: 600, 0o22, 0x1F, 0b1, 1_000, optionally negative.
bool parseIntLiteral(const std::string& s, int64_t* value) {
  std::string digits;
  for (char c : s) {
    if (c != '_') digits += c;
  }
  if (digits.empty()) return false;
  bool negative = digits[0] == '-';
  if (negative || digits[0] == '+') digits.erase(0, 1);
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' &&
      std::isalpha(static_cast<unsigned char>(digits[1]))) {
    char b = static_cast<char>(std::tolower(digits[1]));
    base = b == 'o' ? 8 : b == 'x' ? 16 : b == 'b' ? 2 : 0;
    if (base == 0) return false;
    digits.erase(0, 2);
  } else if (digits.size() > 1 && digits[0] == '0' &&
             digits.find_first_not_of('0') != std::string::npos) {
    return false;  // 022 is a syntax error in Python 3
  }
  if (digits.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(digits.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return false;
  *value = negative ? -v : v;
  return true;
}

// Scans a line for the start of a triple-quoted string that does not end on
// it (ignoring strings that do and comments). Returns the open delimiter or
// "" when none is left open. `open` is the delimiter carried in from earlier
// lines ("" when none).
std::string tripleQuoteState(const std::string& line, std::string open) {
  size_t i = 0;
  if (!open.empty()) {
    size_t close = line.find(open);
    if (close == std::string::npos) return open;
    i = close + 3;
  }
  while (i < line.size()) {
    char c = line[i];
    if (c == '#') return "";
    if (c == '\'' || c == '"') {
      std::string delim(3, c);
      if (line.compare(i, 3, delim) == 0) {
        size_t close = line.find(delim, i + 3);
        if (close == std::string::npos) return delim;
        i = close + 3;
        continue;
      }
      ++i;
      while (i < line.size() && line[i] != c) i += line[i] == '\\' ? 2 : 1;
    }
    ++i;
  }
  return "";
}

std::optional<TacValue> parsePythonLiteral(const std::string& input) {
  std::string rhs = trimmed(input);
  TacValue v;
  if (rhs.empty()) return std::nullopt;
  size_t pos = 0;
  std::string text;
  if (parseStringLiteral(rhs, &pos, &text)) {
    // Adjacent literals concatenate: 'a' "b".
    while (true) {
      size_t next = rhs.find_first_not_of(" \t", pos);
      if (next == std::string::npos || !parseStringLiteral(rhs, &next, &text)) break;
      pos = next;
    }
    if (!onlyCommentLeft(rhs, pos)) return std::nullopt;
    v.kind = TacValue::Kind::String;
    v.text = text;
    return v;
  }
  size_t end = rhs.find('#');
  std::string word = trimmed(rhs.substr(0, end));
  if (word == "None") {
    v.kind = TacValue::Kind::None;
  } else if (word == "True" || word == "False") {
    v.kind = TacValue::Kind::Bool;
    v.number = word == "True";
  } else if (parseIntLiteral(word, &v.number)) {
    v.kind = TacValue::Kind::Int;
  } else {
    return std::nullopt;
  }
  return v;
}

}  // namespace bbcheck
