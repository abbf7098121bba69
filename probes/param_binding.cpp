#include "probes/param_binding.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

namespace bbcheck {
namespace {

// The largest unit that writes `value` exactly: 1000 ms is "1s", 1500 ms
// "1500ms".
std::string withUnit(int64_t value, const std::vector<std::pair<int64_t, const char*>>& units,
                     const char* none) {
  if (value == 0) return fmt::format("0{}", none);
  for (const auto& [size, suffix] : units)
    if (value % size == 0) return fmt::format("{}{}", value / size, suffix);
  return fmt::format("{}{}", value, none);
}

template <class T>
std::string listText(const std::vector<T>& items) {
  return items.empty() ? "" : fmt::format("[{}]", fmt::join(items, ", "));
}

}  // namespace

std::string defaultText(ParamType, const std::string& value) {
  return value;
}

std::string defaultText(ParamType type, int64_t value) {
  switch (type) {
    case ParamType::Size:
      return withUnit(value,
                      {{int64_t{1} << 40, "TiB"},
                       {int64_t{1} << 30, "GiB"},
                       {int64_t{1} << 20, "MiB"},
                       {int64_t{1} << 10, "KiB"}},
                      "");
    case ParamType::Duration:
      return withUnit(value, {{3600000, "h"}, {60000, "m"}, {1000, "s"}}, "ms");
    default:
      return std::to_string(value);
  }
}

std::string defaultText(ParamType type, const std::optional<int64_t>& value) {
  return value ? defaultText(type, *value) : "";
}

std::string defaultText(ParamType, bool value) {
  return value ? "true" : "false";
}

std::string defaultText(ParamType, const std::vector<std::string>& value) {
  return listText(value);
}

std::string defaultText(ParamType, const std::vector<int64_t>& value) {
  return listText(value);
}

void throwParamError(const std::string& kind, const std::string& param, const std::string& why) {
  throw std::invalid_argument(fmt::format("probe {}: parameter '{}' {}", kind, param, why));
}

}  // namespace bbcheck
