#include "checker/units.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>

namespace bbcheck {

std::optional<int64_t> parseDuration(const std::string& text) {
  static const std::regex pattern(R"(^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  double value = std::stod(m[1]);
  const std::string unit = m[2];
  double ms = unit == "ms" ? value : unit == "s" ? value * 1e3 : unit == "m" ? value * 6e4 : value * 3.6e6;
  if (ms > 1e12) return std::nullopt;
  return static_cast<int64_t>(std::llround(ms));
}

std::optional<int64_t> parseSize(const std::string& text) {
  static const std::regex pattern(R"(^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)(B?)\s*$)", std::regex::icase);
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  double value = std::stod(m[1]);
  std::string prefix = m[2];
  bool binary = !m[3].str().empty() || m[4].str().empty();  // "KiB", "K": binary; "KB": decimal
  if (!m[3].str().empty() && m[4].str().empty()) return std::nullopt;  // "Ki" alone
  if (prefix.empty()) {
    if (!m[3].str().empty() || m[1].str().find('.') != std::string::npos) return std::nullopt;
    return static_cast<int64_t>(std::llround(value));
  }
  int power = std::string("KMGT").find(static_cast<char>(std::toupper(prefix[0]))) + 1;
  double bytes = value * std::pow(binary ? 1024.0 : 1000.0, power);
  if (bytes > 9e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(bytes));
}

std::string formatBytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{} B", bytes);
  return fmt::format("{:.1f} {}", value, units[unit]);
}

}  // namespace bbcheck
