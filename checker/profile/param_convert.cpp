// Converting one parameter's text to its ParamValue by the probe's
// ParamSpec: whole numbers, sizes and durations in range, booleans,
// RE2-compilable patterns, choices.
#include "checker/profile/param_convert.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "checker/profile/profile_error.h"
#include "checker/profile/units.h"
#include "checker/profile/vars.h"
#include "probes/regex.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// Optional spaces, an optional '-', 1 to 18 digits, optional spaces. Scanned
// by hand: a std::regex costs more to compile than a small profile to load.
std::optional<int64_t> parseInt(const std::string& text) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  size_t begin = 0, end = text.size();
  while (begin < end && space(text[begin])) ++begin;
  while (end > begin && space(text[end - 1])) --end;
  size_t digits = begin < end && text[begin] == '-' ? begin + 1 : begin;
  if (end - digits < 1 || end - digits > 18) return std::nullopt;
  for (size_t i = digits; i < end; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  return std::stoll(text.substr(begin, end - begin));
}

// Digits (optionally signed) too many for parseInt: a number, but too large.
bool isLongNumber(const std::string& text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return false;
  if (text[start] == '-' || text[start] == '+') ++start;
  size_t end = text.find_last_not_of(" \t");
  if (end == std::string::npos || end < start) return false;
  return std::all_of(text.begin() + start, text.begin() + end + 1,
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

// Long profile text shortened for a message (a 20,000-group pattern).
std::string ellipsized(const std::string& text, size_t limit) {
  return text.size() <= limit ? text : text.substr(0, limit) + "...";
}

std::optional<bool> parseBool(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0" || text.empty()) return false;
  return std::nullopt;
}

const char* typeHint(ParamType type) {
  switch (type) {
    case ParamType::Int:
    case ParamType::IntList:
      return "a whole number";
    case ParamType::Bool:
      return "true or false";
    case ParamType::Size:
      return "a size like 512MiB, 30GB or 2.5G";
    case ParamType::Duration:
      return "a duration like 250ms, 3s or 1m";
    default:
      return "a string";
  }
}

namespace {

// One scalar of a parameter, converted by its type.
ParamValue convertScalar(const ParamSpec& spec, const std::string& probe, const std::string& text,
                         const SourcePos& pos) {
  auto bad = [&](const std::string& why) {
    return ProfileError(pos, fmt::format("parameter '{}' of probe {}: {}", spec.name, probe, why));
  };
  auto expected = [&] {
    return bad(fmt::format("expected {}, got '{}'", typeHint(spec.type), text));
  };
  switch (spec.type) {
    case ParamType::Int:
    case ParamType::IntList: {
      auto v = parseInt(text);
      if (!v && isLongNumber(text)) throw bad(fmt::format("{} is out of range", ellipsized(text)));
      if (!v) throw expected();
      if (*v < spec.min || *v > spec.max) {
        std::string range = spec.max == std::numeric_limits<int64_t>::max()
                                ? fmt::format("{} or more", spec.min)
                                : fmt::format("from {} to {}", spec.min, spec.max);
        throw bad(fmt::format("{} is out of range (expected {})", *v, range));
      }
      return *v;
    }
    case ParamType::Bool: {
      auto v = parseBool(text);
      if (!v) throw expected();
      return *v;
    }
    case ParamType::Size: {
      UnitError why = UnitError::Syntax;
      auto v = parseSize(text, &why);
      if (!v && why == UnitError::OutOfRange)
        throw bad(fmt::format("{} is out of range (at most 8EiB)", ellipsized(text)));
      if (!v) throw expected();
      return *v;
    }
    case ParamType::Duration: {
      UnitError why = UnitError::Syntax;
      auto v = parseDuration(text, &why);
      if (!v && why == UnitError::OutOfRange)
        throw bad(fmt::format("{} is out of range (at most 10^12 ms)", ellipsized(text)));
      if (!v) throw expected();
      return *v;
    }
    case ParamType::Path:
      return expandHome(text);
    case ParamType::Regex: {
      Regex re(text);
      if (!re.ok())
        throw bad(fmt::format("invalid regular expression '{}': {}", ellipsized(text),
                              ellipsized(re.error())));
      return text;
    }
    case ParamType::String:
    case ParamType::StringList:
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end())
        throw bad(fmt::format("'{}' is not one of: {}", text, joinedWith(spec.choices, ", ")));
      return text;
  }
  return text;
}

}  // namespace

bool isList(ParamType type) {
  return type == ParamType::StringList || type == ParamType::IntList;
}

// Converts a YAML value (or a default written as text) into a ParamValue.
ParamValue convertParam(const ParamSpec& spec, const std::string& probe,
                        const std::vector<std::pair<std::string, SourcePos>>& items,
                        bool wasSequence, const SourcePos& pos) {
  if (!isList(spec.type)) {
    if (wasSequence)
      throw ProfileError(pos, fmt::format("parameter '{}' of probe {}: expected {}, got a list",
                                          spec.name, probe, typeHint(spec.type)));
    return convertScalar(spec, probe, items.front().first, items.front().second);
  }
  if (spec.type == ParamType::IntList) {
    std::vector<int64_t> out;
    for (const auto& [text, at] : items)
      out.push_back(std::get<int64_t>(convertScalar(spec, probe, text, at)));
    return out;
  }
  std::vector<std::string> out;
  for (const auto& [text, at] : items)
    out.push_back(std::get<std::string>(convertScalar(spec, probe, text, at)));
  return out;
}

}  // namespace bbcheck
