#include "checker/profile/units.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace bbcheck {

namespace {

constexpr double kMaxMs = 1e12;
constexpr double kMaxBytes = 9e18;

// These run at every start (a profile's timeouts and sizes, --deadline), so
// they scan by hand: compiling a std::regex costs more than the rest of
// loading a one-check profile (bench/RESULTS.md).

void skipSpaces(const std::string& text, size_t& pos) {
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
}

bool isDigitAt(const std::string& text, size_t pos) {
  return pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]));
}

// Digits with an optional ".digits" (no sign, no exponent) from `pos`.
bool readNumber(const std::string& text, size_t& pos, double& value, bool& fraction) {
  size_t start = pos;
  while (isDigitAt(text, pos)) ++pos;
  if (pos == start) return false;
  fraction = pos < text.size() && text[pos] == '.';
  if (fraction) {
    if (!isDigitAt(text, ++pos)) return false;  // "1." has no fraction digits
    while (isDigitAt(text, pos)) ++pos;
  }
  // strtod saturates to HUGE_VAL where std::stod would throw: the caller's
  // range check then refuses it.
  value = std::strtod(text.substr(start, pos - start).c_str(), nullptr);
  return true;
}

// Takes `c` (any case) at `pos` if it is there.
bool take(const std::string& text, size_t& pos, char c) {
  if (pos >= text.size() || std::toupper(static_cast<unsigned char>(text[pos])) != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<int64_t> parseDuration(const std::string& text, UnitError* why) {
  if (why) *why = UnitError::Syntax;
  size_t pos = 0;
  double value = 0;
  bool fraction = false;
  skipSpaces(text, pos);
  if (!readNumber(text, pos, value, fraction)) return std::nullopt;
  skipSpaces(text, pos);
  size_t unitStart = pos;
  while (pos < text.size() && std::islower(static_cast<unsigned char>(text[pos]))) ++pos;
  const std::string unit = text.substr(unitStart, pos - unitStart);
  skipSpaces(text, pos);
  if (pos != text.size()) return std::nullopt;
  double perUnit = unit == "ms"  ? 1
                   : unit == "s" ? 1e3
                   : unit == "m" ? 6e4
                   : unit == "h" ? 3.6e6
                                 : 0;
  if (perUnit == 0) return std::nullopt;
  double ms = value * perUnit;
  if (!(ms <= kMaxMs)) {
    if (why) *why = UnitError::OutOfRange;
    return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(ms));
}

std::optional<int64_t> parseSize(const std::string& text, UnitError* why) {
  if (why) *why = UnitError::Syntax;
  size_t pos = 0;
  double value = 0;
  bool fraction = false;
  skipSpaces(text, pos);
  if (!readNumber(text, pos, value, fraction)) return std::nullopt;
  skipSpaces(text, pos);
  static const std::string prefixes = "KMGT";
  int power = 0;
  if (pos < text.size()) {
    size_t found =
        prefixes.find(static_cast<char>(std::toupper(static_cast<unsigned char>(text[pos]))));
    if (found != std::string::npos) {
      power = static_cast<int>(found) + 1;
      ++pos;
    }
  }
  bool i = take(text, pos, 'I');
  bool b = take(text, pos, 'B');
  skipSpaces(text, pos);
  if (pos != text.size()) return std::nullopt;
  if (i && !b) return std::nullopt;  // "Ki" alone
  bool binary = i || !b;             // "KiB", "K": binary; "KB": decimal
  if (power == 0 && (i || fraction)) return std::nullopt;
  double bytes = power == 0 ? value : value * std::pow(binary ? 1024.0 : 1000.0, power);
  // Checked before converting: llround of a double beyond int64 is undefined
  // (99999999999999999999 came out negative and a `min` check passed).
  if (!(bytes <= kMaxBytes)) {
    if (why) *why = UnitError::OutOfRange;
    return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(bytes));
}

}  // namespace bbcheck
